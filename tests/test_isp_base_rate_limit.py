# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_base.lib.rate_limit import format_rate, rate_limit


@pytest.mark.parametrize(
    "kbps, text",
    [(10000, "10M"), (1000, "1M"), (512, "512k"), (1500, "1500k"), (0, "0k"), (100000, "100M")],
)
def test_format_rate(kbps, text):
    assert format_rate(kbps) == text


def test_negative_rate_is_refused():
    with pytest.raises(ValueError):
        format_rate(-1)


def test_plain_rate_is_upload_then_download():
    assert rate_limit(20000, 5000) == "5M/20M"


def test_burst_rate_limit_has_all_four_parts():
    assert rate_limit(10000, 5000, 20000, 10000, 7500, 3750, 16) == "5M/10M 10M/20M 3750k/7500k 16/16"


def test_missing_burst_side_and_thresholds_fall_back_to_the_plan_rate():
    assert rate_limit(10000, 5000, burst_download_kbps=20000, burst_time=8) == "5M/10M 5M/20M 5M/10M 8/8"


@given(down=st.integers(1, 10**7), up=st.integers(1, 10**7))
def test_rates_round_trip(down, up):
    upload, download = rate_limit(down, up).split("/")

    def parse(text):
        return int(text[:-1]) * (1000 if text.endswith("M") else 1)

    assert (parse(upload), parse(download)) == (up, down)
