"""NUMBER and FLOAT columns, quotients, BINARY_DOUBLE binds as Oracle describes them (real client)."""

from __future__ import annotations

import decimal
import math

import oracledb


def test_number_columns_describe_with_oracles_precision_and_scale(k: oracledb.Cursor) -> None:
    k.execute("create table nd_numbers (a number(9) not null, b number(9,2), c float, d number,"
              " e number(38), f float(53), g real, h double precision, i integer)")
    k.execute("select * from nd_numbers")
    assert [entry[1:] for entry in k.description] == [
        (oracledb.DB_TYPE_NUMBER, 10, None, 9, 0, False),
        (oracledb.DB_TYPE_NUMBER, 13, None, 9, 2, True),
        (oracledb.DB_TYPE_NUMBER, 127, None, 126, -127, True),
        (oracledb.DB_TYPE_NUMBER, 127, None, 0, -127, True),
        (oracledb.DB_TYPE_NUMBER, 39, None, 38, 0, True),
        (oracledb.DB_TYPE_NUMBER, 54, None, 53, -127, True),  # the client's display sizes
        (oracledb.DB_TYPE_NUMBER, 64, None, 63, -127, True),
        (oracledb.DB_TYPE_NUMBER, 127, None, 126, -127, True),
        (oracledb.DB_TYPE_NUMBER, 39, None, 38, 0, True),
    ]
    k.execute("drop table nd_numbers")


def test_a_float_column_keeps_any_number_and_the_dictionary_calls_it_float(k: oracledb.Cursor) -> None:
    k.execute("create table nd_floats (id number(2), v float)")
    k.executemany("insert into nd_floats values (:1, :2)",
                  [(1, 5), (2, 1.25), (3, 12345678901234567890), (4, None)])
    k.execute("select v from nd_floats order by id")
    fetched = k.fetchall()  # the client makes a float of every FLOAT column's value
    assert fetched == [(5.0,), (1.25,), (1.2345678901234567e19,), (None,)]
    assert isinstance(fetched[0][0], float)
    k.outputtypehandler = lambda cursor, meta: cursor.var(decimal.Decimal, arraysize=cursor.arraysize)
    k.execute("select v from nd_floats where id = 3")
    assert k.fetchone() == (decimal.Decimal(12345678901234567890),)  # stored exactly
    k.outputtypehandler = None
    k.execute("select data_type, data_precision, data_scale from user_tab_columns"
              " where table_name = 'ND_FLOATS' order by column_id")
    assert k.fetchall() == [("NUMBER", 2, 0), ("FLOAT", 126, None)]
    k.execute("drop table nd_floats")


def test_a_quotient_is_an_unconstrained_number(k: oracledb.Cursor) -> None:
    k.execute("create table nd_quotients (n number(9))")
    k.executemany("insert into nd_quotients values (:1)", [(1,), (14,)])
    k.execute("select n / 7 from nd_quotients order by n")
    assert k.description[0][1:] == (oracledb.DB_TYPE_NUMBER, 127, None, 0, -127, True)
    first, second = k.fetchall()
    # a binary double read back with 15 significant digits (Oracle keeps 40: not emulated)
    assert isinstance(first[0], float) and abs(first[0] - 1.0 / 7.0) < 1e-15
    assert second == (2,) and isinstance(second[0], int)
    k.execute("select n from nd_quotients where n / 7 = 2")
    assert k.fetchall() == [(14,)]
    k.execute("select n from nd_quotients where n / 7 < 1 and n / 7 > 0.14 order by n / 7")
    assert k.fetchall() == [(1,)]  # compared as the numbers they are
    k.execute("drop table nd_quotients")


def test_a_binary_double_bind_comes_back_as_binary_double(k: oracledb.Cursor) -> None:
    for value in (5, 1.5, -0.25, decimal.Decimal("NaN")):
        k.setinputsizes(oracledb.DB_TYPE_BINARY_DOUBLE)
        k.execute("select :1 from dual", (value,))
        assert k.bindvars[0].type == oracledb.DB_TYPE_BINARY_DOUBLE
        assert k.description[0][:2] == (":1", oracledb.DB_TYPE_BINARY_DOUBLE)
        (fetched,) = k.fetchone()
        assert isinstance(fetched, float)
        if isinstance(value, decimal.Decimal):
            assert math.isnan(fetched)
        else:
            assert fetched == value


def test_a_number_bind_alone_in_a_select_list_stays_a_number(k: oracledb.Cursor) -> None:
    k.execute("select :1, :val from dual", (1.5, 7))
    assert [entry[1] for entry in k.description] == [oracledb.DB_TYPE_NUMBER] * 2
    assert k.fetchone() == (1.5, 7)
    k.setinputsizes(None, oracledb.DB_TYPE_BINARY_DOUBLE)
    k.execute("select :a, :b from dual", (2, 3))
    assert [entry[1] for entry in k.description] == [oracledb.DB_TYPE_NUMBER,
                                                     oracledb.DB_TYPE_BINARY_DOUBLE]
    assert k.fetchone() == (2, 3.0)
