"""SQLAlchemy 2.x against the embedded server: DDL with checkfirst, reflection, ORM.

Every test runs three times (see ``connector``): through python-oracledb
directly and through devart_oracle's module-level and explicit pools. What
reflection returns is what SQLAlchemy's Oracle dialect gives for the same
tables on Oracle (names normalised to lower case; constraint names Oracle
would generate are SYS_C...).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

sa = pytest.importorskip("sqlalchemy")
orm = pytest.importorskip("sqlalchemy.orm")



def _metadata() -> Any:
    metadata = sa.MetaData()
    sa.Table("sa_parent", metadata,
             sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
             sa.Column("name", sa.String(30), nullable=False, unique=True, comment="the name"),
             sa.Column("score", sa.Numeric(10, 2), server_default="0"),
             sa.Column("born", sa.DateTime),
             sa.CheckConstraint("score >= 0", name="sa_score_ck"),
             comment="parents")
    sa.Table("sa_child", metadata,
             sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("parent_id", sa.Integer,
                       sa.ForeignKey("sa_parent.id", ondelete="CASCADE", name="sa_child_fk")),
             sa.Column("label", sa.String(20)),
             sa.Index("sa_child_label_ix", "label"),
             sa.UniqueConstraint("parent_id", "label", name="sa_child_uk"))
    return metadata


@pytest.fixture
def tables(engine: Any) -> Iterator[Any]:
    metadata = _metadata()
    metadata.create_all(engine)
    yield metadata
    metadata.drop_all(engine)


def test_create_all_and_drop_all_check_first(engine: Any) -> None:
    metadata = _metadata()
    metadata.create_all(engine)
    metadata.create_all(engine)  # checkfirst: the tables exist, nothing is created twice
    assert sa.inspect(engine).has_table("sa_parent")
    metadata.drop_all(engine)
    metadata.drop_all(engine)  # checkfirst: nothing left to drop
    assert not sa.inspect(engine).has_table("sa_parent")
    assert sa.inspect(engine).get_table_names() == []


def test_reflected_columns(tables: Any, engine: Any) -> None:
    columns = {c["name"]: c for c in sa.inspect(engine).get_columns("sa_parent")}
    assert list(columns) == ["id", "name", "score", "born"]
    assert isinstance(columns["id"]["type"], sa.Integer)
    assert columns["id"]["identity"]["always"] is False
    assert columns["id"]["identity"]["start"] == 1 and columns["id"]["identity"]["increment"] == 1
    assert columns["name"]["type"].length == 30 and columns["name"]["nullable"] is False
    assert columns["name"]["comment"] == "the name"
    assert (columns["score"]["type"].precision, columns["score"]["type"].scale) == (10, 2)
    assert columns["score"]["default"] == "'0'"
    assert columns["born"]["nullable"] is True


def test_reflected_keys_indexes_and_checks(tables: Any, engine: Any) -> None:
    inspector = sa.inspect(engine)
    assert inspector.get_pk_constraint("sa_parent")["constrained_columns"] == ["id"]
    [fk] = inspector.get_foreign_keys("sa_child")
    assert (fk["name"], fk["constrained_columns"], fk["referred_table"],
            fk["referred_columns"], fk["options"]) == (
        "sa_child_fk", ["parent_id"], "sa_parent", ["id"], {"ondelete": "CASCADE"})
    assert [(u["name"], u["column_names"]) for u in inspector.get_unique_constraints("sa_child")
            ] == [("sa_child_uk", ["parent_id", "label"])]
    [unique] = inspector.get_unique_constraints("sa_parent")
    assert unique["column_names"] == ["name"] and unique["name"].startswith("sys_c")
    assert [(i["name"], i["column_names"], i["unique"]) for i in inspector.get_indexes("sa_child")
            if i["name"] == "sa_child_label_ix"] == [("sa_child_label_ix", ["label"], False)]
    assert inspector.get_check_constraints("sa_parent") == [
        {"name": "sa_score_ck", "sqltext": "score >= 0"}]
    assert inspector.get_table_comment("sa_parent") == {"text": "parents"}


def test_autoload_rebuilds_the_table(tables: Any, engine: Any) -> None:
    child = sa.Table("sa_child", sa.MetaData(), autoload_with=engine)
    assert [c.name for c in child.columns] == ["id", "parent_id", "label"]
    assert [c.name for c in child.primary_key] == ["id"]
    assert {fk.target_fullname for fk in child.foreign_keys} == {"sa_parent.id"}


def test_views_and_sequences_reflect(tables: Any, engine: Any) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("create view sa_names as select id, name from sa_parent")
        conn.exec_driver_sql("create sequence sa_seq")
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_view_names() == ["sa_names"]
        assert inspector.get_view_definition("sa_names") == "select id, name from sa_parent"
        assert [c["name"] for c in inspector.get_columns("sa_names")] == ["id", "name"]
        assert "sa_seq" in inspector.get_sequence_names()
        assert inspector.has_sequence("sa_seq")
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("drop view sa_names")
            conn.exec_driver_sql("drop sequence sa_seq")


def test_reflection_is_per_owner(engine: Any) -> None:
    metadata = sa.MetaData()
    sa.Table("sa_theirs", metadata, sa.Column("id", sa.Integer, primary_key=True),
             schema="adams")
    metadata.create_all(engine)  # CREATE TABLE adams.sa_theirs: adams owns it
    try:
        inspector = sa.inspect(engine)
        assert inspector.get_table_names(schema="adams") == ["sa_theirs"]
        assert inspector.get_table_names() == []
        assert inspector.has_table("sa_theirs", schema="adams")
        assert not inspector.has_table("sa_theirs")
        assert inspector.get_pk_constraint("sa_theirs", schema="adams")[
            "constrained_columns"] == ["id"]
    finally:
        metadata.drop_all(engine)


class _Base(orm.DeclarativeBase):
    pass


class Author(_Base):
    __tablename__ = "sa_author"
    id: orm.Mapped[int] = orm.mapped_column(sa.Identity(), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(40))
    books: orm.Mapped[list[Book]] = orm.relationship(back_populates="author",
                                                     cascade="all, delete-orphan")


class Book(_Base):
    __tablename__ = "sa_book"
    id: orm.Mapped[int] = orm.mapped_column(sa.Identity(), primary_key=True)
    title: orm.Mapped[str] = orm.mapped_column(sa.String(80))
    author_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("sa_author.id"))
    author: orm.Mapped[Author] = orm.relationship(back_populates="books")


def test_orm_round_trip(engine: Any) -> None:
    _Base.metadata.create_all(engine)
    try:
        with orm.Session(engine) as session:
            session.add_all([Author(name="Ada", books=[Book(title="Notes"), Book(title="Sketches")]),
                             Author(name="Alan", books=[Book(title="Computing")])])
            session.commit()
        with orm.Session(engine) as session:
            ada = session.scalars(sa.select(Author).where(Author.name == "Ada")).one()
            assert sorted(b.title for b in ada.books) == ["Notes", "Sketches"]
            page = session.scalars(sa.select(Book.title).order_by(Book.title).offset(1).limit(1))
            assert page.all() == ["Notes"]
            session.delete(ada)
            session.commit()
            assert session.scalar(sa.select(sa.func.count()).select_from(Book)) == 1
    finally:
        _Base.metadata.drop_all(engine)


@pytest.mark.parametrize("level", ["SERIALIZABLE", "READ COMMITTED"])
def test_execution_options_isolation_level(engine: Any, level: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("create table sa_iso (n number)")
    try:
        with engine.connect().execution_options(isolation_level=level) as conn:
            conn.exec_driver_sql("insert into sa_iso values (1)")
            assert conn.exec_driver_sql("select count(*) from sa_iso").scalar() == 1
            conn.commit()
        if hasattr(engine.pool, "checkedout"):
            assert engine.pool.checkedout() == 0  # the reset to the default level worked
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select count(*) from sa_iso").scalar() == 1
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql("drop table sa_iso")


def test_get_isolation_level(engine: Any) -> None:
    with engine.connect() as conn:
        assert conn.get_isolation_level() == "READ COMMITTED"
    with engine.connect().execution_options(isolation_level="SERIALIZABLE") as conn:
        assert conn.get_isolation_level() == "SERIALIZABLE"
