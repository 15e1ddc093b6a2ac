import pytest

from qijian.policy.loader import PolicyError, figure, load_policy


def test_figures_come_from_the_county_file() -> None:
    assert figure("follow_up.days") == 5
    assert figure("frequency_cut.high_frequency_rate") == pytest.approx(0.20)
    assert figure("repeat_window.days") == 60


def test_unknown_figure_fails_loudly() -> None:
    with pytest.raises(PolicyError):
        figure("follow_up.weeks")


def test_every_section_states_its_source() -> None:
    data = load_policy("cangxian")
    assert data["follow_up"]["source"].startswith("在各县级执法部门")


def test_missing_policy_file_is_refused() -> None:
    with pytest.raises(PolicyError):
        load_policy("nowhere")
