"""``make load`` (bench/load.py): its verdict fails on an error, a lost write or a doubled one."""
from argparse import Namespace
from collections import Counter

from bench.load import percentile, report

ARGS = Namespace(size="small", users=2)


def _figures(*statuses):
    return {"POST comment": [(status, 0.05) for status in statuses]}


def test_a_clean_run_passes(capsys):
    assert report(_figures(302, 302), 10, ["load-a"], ["load-a", "load-b"],
                  Counter({"load-a": 1}), ARGS, "sqlite:///x") == 0
    out = capsys.readouterr().out
    assert "1 writes acknowledged, 0 lost, 0 stored twice" in out
    assert "SQLite" in out


def test_a_server_error_fails(capsys):
    assert report(_figures(302, 500), 10, [], [], Counter(), ARGS, "sqlite:///x") == 1
    assert "error: POST comment: 500 x 1" in capsys.readouterr().out


def test_a_lost_acknowledged_write_fails(capsys):
    assert report(_figures(302), 10, ["load-a"], ["load-a"], Counter(), ARGS, "sqlite:///x") == 1
    assert "1 lost" in capsys.readouterr().out


def test_a_write_stored_twice_fails(capsys):
    assert report(_figures(302), 10, ["load-a"], ["load-a"], Counter({"load-a": 2}), ARGS,
                  "postgresql+psycopg:///x") == 1
    assert "1 stored twice" in capsys.readouterr().out


def test_percentiles():
    values = list(range(1, 101))
    assert percentile(values, 50) in (50, 51)
    assert percentile(values, 99) == 99
    assert percentile([7], 95) == 7
