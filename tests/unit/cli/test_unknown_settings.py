"""A FLEXHUB_ variable that names no setting is said at start-up (cli.startup.unknown_settings): the settings ignore
it, so a typo or a renamed setting would otherwise go unnoticed."""

from flexhub.cli.startup import unknown_settings


def test_a_typo_is_named_with_the_settings_it_is_close_to() -> None:
    [line] = unknown_settings({"FLEXHUB_JOB_LEASE": "30", "FLEXHUB_JOB_LEASE_S": "30", "PATH": "/bin"})

    assert line.startswith("FLEXHUB_JOB_LEASE is not a setting and is ignored") and "FLEXHUB_JOB_LEASE_S" in line


def test_a_renamed_setting_says_what_took_its_place() -> None:
    [line] = unknown_settings({"FLEXHUB_SPIKE_HORIZON_S": "2"})

    assert "FLEXHUB_HOLD_BACK_QUANTILE" in line


def test_settings_and_the_tests_and_benchmarks_own_variables_are_not_named() -> None:
    assert unknown_settings({"FLEXHUB_DATABASE_URL": "sqlite://", "FLEXHUB_HOLD_BACK_QUANTILE": "0.9",
                             "FLEXHUB_TEST_DATABASE_URL": "x", "FLEXHUB_BENCH_WEBHOOK_SECRETS": "{}"}) == []
