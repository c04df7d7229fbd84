"""The data dictionary views, read by the real python-oracledb client over TCP.

Every test makes its own objects (names carry the test's prefix) and drops
them, since the module's server is shared.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import oracledb
import pytest

from devart_oracle.testing import OracleTestServer

from .conftest import USERS

Row = tuple[object, ...]


class Db:
    """A cursor that drops the tables, views and sequences it made."""

    def __init__(self, conn: oracledb.Connection) -> None:
        self.cursor = conn.cursor()
        self.made: list[tuple[str, str]] = []

    def ddl(self, sql: str) -> None:
        words = sql.split()
        if words[0].upper() == "CREATE" and words[1].upper() in ("TABLE", "VIEW", "SEQUENCE"):
            self.made.append((words[1].upper(), words[2].split("(")[0]))
        self.cursor.execute(sql)

    def rows(self, sql: str, **binds: object) -> list[Row]:
        self.cursor.execute(sql, binds)
        return [tuple(row) for row in self.cursor.fetchall()]

    def drop(self) -> None:
        for kind, name in reversed(self.made):
            with contextlib.suppress(oracledb.DatabaseError):
                self.cursor.execute(f"drop {kind} {name}")


@pytest.fixture
def db(conn: oracledb.Connection) -> Iterator[Db]:
    instance = Db(conn)
    try:
        yield instance
    finally:
        instance.drop()


def test_user_all_and_dba_tables_follow_ddl_live(db: Db) -> None:
    db.ddl("create table dt_live (a number)")
    for view in ("user_tables", "all_tables", "dba_tables"):
        assert db.rows(f"select table_name from {view} where table_name = 'DT_LIVE'") == [
            ("DT_LIVE",)]
    assert db.rows("select owner, tablespace_name, temporary, iot_name from all_tables"
                   " where table_name = 'DT_LIVE'") == [("SCOTT", "USERS", "N", None)]
    db.cursor.execute("drop table dt_live")
    assert db.rows("select count(*) from all_tables where table_name = 'DT_LIVE'") == [(0,)]


def test_user_views_leave_the_owner_out(db: Db) -> None:
    db.cursor.execute("select * from user_tables where 1 = 0")
    assert "OWNER" not in [d[0] for d in db.cursor.description]
    db.cursor.execute("select * from user_constraints where 1 = 0")
    assert "OWNER" in [d[0] for d in db.cursor.description]  # as in Oracle


def test_owner_is_the_schema_the_ddl_names_or_the_current_one(
        wire_server: OracleTestServer, db: Db) -> None:
    db.ddl("create table dt_mine (a number)")
    db.ddl("create table alice.dt_hers (a number)")
    with oracledb.connect(user="alice", password=USERS["alice"], dsn=wire_server.dsn) as alice:
        other = Db(alice)
        assert other.rows("select owner, table_name from all_tables where table_name like 'DT\\_%'"
                          " escape '\\' order by 2") == [("ALICE", "DT_HERS"), ("SCOTT", "DT_MINE")]
        assert other.rows("select table_name from user_tables where table_name like 'DT%'") == [
            ("DT_HERS",)]
    db.cursor.execute("alter session set current_schema = alice")
    try:
        assert db.rows("select table_name from user_tables where table_name like 'DT%'") == [
            ("DT_HERS",)]
    finally:
        db.cursor.execute("alter session set current_schema = scott")


def test_columns_report_oracle_types(db: Db) -> None:
    db.ddl("create table dt_types (n number, p number(5), ps number(10, 2), i integer,"
           " v varchar2(20) not null, c char(3), d date default sysdate, t timestamp,"
           " r raw(16), s varchar2(5) default 'x')")
    assert db.rows(
        "select column_name, data_type, data_length, data_precision, data_scale, nullable,"
        " column_id, char_length, data_default from user_tab_columns"
        " where table_name = 'DT_TYPES' order by column_id") == [
        ("N", "NUMBER", 22, None, None, "Y", 1, 0, None),
        ("P", "NUMBER", 22, 5, 0, "Y", 2, 0, None),
        ("PS", "NUMBER", 22, 10, 2, "Y", 3, 0, None),
        ("I", "NUMBER", 22, None, 0, "Y", 4, 0, None),
        ("V", "VARCHAR2", 20, None, None, "N", 5, 20, None),
        ("C", "CHAR", 3, None, None, "Y", 6, 3, None),
        ("D", "DATE", 7, None, None, "Y", 7, 0, "SYSDATE"),
        ("T", "TIMESTAMP(6)", 11, None, 6, "Y", 8, 0, None),
        ("R", "RAW", 16, None, None, "Y", 9, 0, None),
        ("S", "VARCHAR2", 5, None, None, "Y", 10, 5, "'x'"),
    ]


def test_tab_cols_has_the_hidden_and_virtual_flags_tab_columns_lacks(db: Db) -> None:
    db.ddl("create table dt_flags (a number)")
    assert db.rows("select hidden_column, virtual_column, identity_column from user_tab_cols"
                   " where table_name = 'DT_FLAGS'") == [("NO", "NO", "NO")]
    with pytest.raises(oracledb.DatabaseError, match="ORA-00904"):
        db.cursor.execute("select hidden_column from user_tab_columns")


def test_identity_columns(db: Db) -> None:
    db.ddl("create table dt_ident (a number generated always as identity,"
           " b number generated by default on null as identity, c number)")
    assert db.rows("select column_name, generation_type, sequence_name from user_tab_identity_cols"
                   " where table_name = 'DT_IDENT' order by 1") == [
        ("A", "ALWAYS", "ISEQ$$_DT_IDENT_A"), ("B", "BY DEFAULT", "ISEQ$$_DT_IDENT_B")]
    assert db.rows("select column_name, identity_column, default_on_null from user_tab_columns"
                   " where table_name = 'DT_IDENT' order by 1") == [
        ("A", "YES", "NO"), ("B", "YES", "YES"), ("C", "NO", "NO")]
    assert db.rows("select sequence_name from user_sequences where sequence_name like"
                   " 'ISEQ$$%DT_IDENT%' order by 1") == [("ISEQ$$_DT_IDENT_A",),
                                                          ("ISEQ$$_DT_IDENT_B",)]


def test_constraints_of_every_kind(db: Db) -> None:
    db.ddl("create table dt_parent (id number primary key, code varchar2(5) constraint"
           " dt_code_uk unique)")
    db.ddl("create table dt_child (id number constraint dt_child_pk primary key,"
           " pid number constraint dt_child_fk references dt_parent (id) on delete cascade,"
           " code varchar2(5) references dt_parent (code), qty number not null,"
           " constraint dt_qty_ck check (qty > 0))")
    got = db.rows("select constraint_name, constraint_type, search_condition, r_owner,"
                  " r_constraint_name, delete_rule, generated from user_constraints"
                  " where table_name = 'DT_CHILD' order by constraint_type, constraint_name")
    pk = db.rows("select constraint_name from user_constraints where table_name = 'DT_PARENT'"
                 " and constraint_type = 'P'")[0][0]
    not_null = [row for row in got if row[2] == '"QTY" IS NOT NULL']
    assert len(not_null) == 1 and not_null[0][6] == "GENERATED NAME"
    assert [row for row in got if row not in not_null] == [
        ("DT_QTY_CK", "C", "qty > 0", None, None, None, "USER NAME"),
        ("DT_CHILD_PK", "P", None, None, None, None, "USER NAME"),
        ("DT_CHILD_FK", "R", None, "SCOTT", pk, "CASCADE", "USER NAME"),
        (got[4][0], "R", None, "SCOTT", "DT_CODE_UK", "NO ACTION", "GENERATED NAME"),
    ]
    assert db.rows("select column_name, position from user_cons_columns"
                   " where constraint_name = 'DT_CHILD_FK'") == [("PID", 1)]
    assert db.rows("select column_name, position from user_cons_columns"
                   " where constraint_name = 'DT_QTY_CK'") == [("QTY", None)]


def test_constraint_names_match_the_error_messages(db: Db) -> None:
    db.ddl("create table dt_named (id number primary key, ref number references dt_named (id))")
    name = db.rows("select constraint_name from user_constraints where table_name = 'DT_NAMED'"
                   " and constraint_type = 'P'")[0][0]
    fk = db.rows("select constraint_name from user_constraints where table_name = 'DT_NAMED'"
                 " and constraint_type = 'R'")[0][0]
    db.cursor.execute("insert into dt_named values (1, null)")
    with pytest.raises(oracledb.IntegrityError, match=f"ORA-00001.*SCOTT.{name}"):
        db.cursor.execute("insert into dt_named values (1, null)")
    with pytest.raises(oracledb.IntegrityError, match=f"ORA-02291.*SCOTT.{fk}"):
        db.cursor.execute("insert into dt_named values (2, 9)")
    db.cursor.connection.rollback()


def test_indexes_and_their_columns(db: Db) -> None:
    db.ddl("create table dt_idx (id number primary key, a varchar2(10), b number)")
    db.cursor.execute("create index dt_idx_ab on dt_idx (a, b desc)")
    db.cursor.execute("create unique index dt_idx_u on dt_idx (upper(a))")
    pk = db.rows("select constraint_name from user_constraints where table_name = 'DT_IDX'"
                 " and constraint_type = 'P'")[0][0]
    assert db.rows("select index_name, index_type, uniqueness, table_owner from user_indexes"
                   " where table_name = 'DT_IDX' order by 1") == [
        ("DT_IDX_AB", "FUNCTION-BASED NORMAL", "NONUNIQUE", "SCOTT"),
        ("DT_IDX_U", "FUNCTION-BASED NORMAL", "UNIQUE", "SCOTT"),
        (pk, "NORMAL", "UNIQUE", "SCOTT"),
    ]
    columns = db.rows("select column_name, column_position, descend from user_ind_columns"
                      " where index_name = 'DT_IDX_AB' order by 2")
    assert columns[0] == ("A", 1, "ASC") and columns[1][1:] == (2, "DESC")
    assert db.rows("select index_name, column_expression, column_position"
                   " from user_ind_expressions where table_name = 'DT_IDX' order by 1") == [
        ("DT_IDX_AB", '"B"', 2), ("DT_IDX_U", "UPPER(A)", 1)]
    assert db.rows("select count(*) from user_constraints where table_name = 'DT_IDX'"
                   " and constraint_type = 'U'") == [(0,)]  # a unique index is no constraint


def test_keys_added_and_dropped_by_alter_table(db: Db) -> None:
    db.ddl("create table dt_alter (a number, b number)")
    db.cursor.execute("alter table dt_alter add constraint dt_alter_uk unique (a, b)")
    assert db.rows("select constraint_name, constraint_type, index_name from user_constraints"
                   " where table_name = 'DT_ALTER'") == [("DT_ALTER_UK", "U", "DT_ALTER_UK")]
    assert db.rows("select column_name, position from user_cons_columns"
                   " where constraint_name = 'DT_ALTER_UK' order by 2") == [("A", 1), ("B", 2)]
    db.cursor.execute("alter table dt_alter drop constraint dt_alter_uk")
    assert db.rows("select count(*) from user_constraints where table_name = 'DT_ALTER'") == [(0,)]


def test_views_keep_their_text_and_columns(db: Db) -> None:
    db.ddl("create table dt_base (a number(4), b varchar2(8))")
    db.ddl("create view dt_view as select a, b from dt_base where a > 1")
    assert db.rows("select text, text_length from user_views where view_name = 'DT_VIEW'") == [
        ("select a, b from dt_base where a > 1", 36)]
    assert db.rows("select column_name, data_type from user_tab_columns"
                   " where table_name = 'DT_VIEW' order by column_id") == [
        ("A", "NUMBER"), ("B", "VARCHAR2")]
    assert db.rows("select object_type from user_objects where object_name = 'DT_VIEW'") == [
        ("VIEW",)]
    assert db.rows("select table_type from user_tab_comments where table_name = 'DT_VIEW'") == [
        ("VIEW",)]


def test_comments_on_tables_and_columns(db: Db) -> None:
    db.ddl("create table dt_note (a number, b number)")
    db.cursor.execute("comment on table dt_note is 'first'")
    db.cursor.execute("comment on table scott.dt_note is 'the notes'")
    db.cursor.execute("comment on column dt_note.a is 'column a'")
    assert db.rows("select comments from user_tab_comments where table_name = 'DT_NOTE'") == [
        ("the notes",)]
    assert db.rows("select column_name, comments from user_col_comments"
                   " where table_name = 'DT_NOTE' order by 1") == [("A", "column a"), ("B", None)]
    db.cursor.execute("comment on column dt_note.a is ''")
    assert db.rows("select comments from all_col_comments where table_name = 'DT_NOTE'"
                   " and column_name = 'A'") == [(None,)]


def test_comment_on_what_does_not_exist(db: Db) -> None:
    db.ddl("create table dt_gone (a number)")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00942"):
        db.cursor.execute("comment on table dt_nowhere is 'x'")
    with pytest.raises(oracledb.DatabaseError, match="ORA-00904"):
        db.cursor.execute("comment on column dt_gone.zz is 'x'")


def test_a_table_made_again_keeps_no_old_comment(db: Db) -> None:
    db.ddl("create table dt_again (a number)")
    db.cursor.execute("comment on table dt_again is 'old'")
    db.cursor.execute("drop table dt_again")
    db.cursor.execute("create table dt_again (a number)")
    assert db.rows("select comments from user_tab_comments where table_name = 'DT_AGAIN'") == [
        (None,)]


def test_rename_keeps_comments(db: Db) -> None:
    db.cursor.execute("create table dt_old (a number)")
    db.made.append(("TABLE", "dt_new"))
    db.cursor.execute("comment on table dt_old is 'moved'")
    db.cursor.execute("rename dt_old to dt_new")
    assert db.rows("select table_name, comments from user_tab_comments"
                   " where table_name like 'DT\\_NEW' escape '\\'") == [("DT_NEW", "moved")]


def test_sequences_show_their_next_value(db: Db) -> None:
    db.ddl("create sequence dt_seq start with 10 increment by 5")
    assert db.rows("select increment_by, last_number, min_value from user_sequences"
                   " where sequence_name = 'DT_SEQ'") == [(5, 10, 1)]
    db.rows("select dt_seq.nextval from dual")
    assert db.rows("select sequence_owner, last_number from all_sequences"
                   " where sequence_name = 'DT_SEQ'") == [("SCOTT", 15)]
    assert db.rows("select object_type from user_objects where object_name = 'DT_SEQ'") == [
        ("SEQUENCE",)]


def test_users(db: Db) -> None:
    assert db.rows("select username from all_users order by 1") == [
        ("ALICE",), ("SCOTT",), ("SYS",), ("SYSTEM",)]
    assert db.rows("select username, account_status from user_users") == [("SCOTT", "OPEN")]
    assert db.rows("select oracle_maintained from dba_users where username = 'SYS'") == [("Y",)]


@pytest.mark.parametrize("view", ["user_synonyms", "all_synonyms", "all_mviews",
                                  "user_db_links", "all_db_links", "all_mview_comments"])
def test_what_the_server_has_none_of(db: Db, view: str) -> None:
    assert db.rows(f"select * from {view}") == []


def test_dictionary_columns_are_described_with_oracle_types(db: Db) -> None:
    db.cursor.execute("select table_name, num_rows, last_analyzed from user_tables where 1 = 0")
    types = [d[1] for d in db.cursor.description]
    assert types == [oracledb.DB_TYPE_VARCHAR, oracledb.DB_TYPE_NUMBER, oracledb.DB_TYPE_DATE]


def test_reading_the_dictionary_inside_a_transaction_keeps_it(
        wire_server: OracleTestServer, db: Db) -> None:
    db.ddl("create table dt_txn (a number)")
    with oracledb.connect(user="scott", password="tiger", dsn=wire_server.dsn) as fresh:
        cursor = fresh.cursor()
        cursor.execute("insert into dt_txn values (1)")
        cursor.execute("select count(*) from user_tables where table_name = 'DT_TXN'")
        assert cursor.fetchone() == (1,)
        fresh.rollback()  # the views were made in the transaction: rolled back with it
        cursor.execute("select count(*) from dt_txn")
        assert cursor.fetchone() == (0,)
        cursor.execute("select count(*) from user_tables where table_name = 'DT_TXN'")
        assert cursor.fetchone() == (1,)


def test_dual_is_sys_s(db: Db) -> None:
    assert db.rows("select owner from all_tables where table_name = 'DUAL'") == [("SYS",)]
    assert db.rows("select count(*) from user_tables where table_name = 'DUAL'") == [(0,)]
