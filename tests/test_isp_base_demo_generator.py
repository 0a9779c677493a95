# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math
import time

import phonenumbers
import pytest

from isp_base.lib import demo_generator
from isp_network.lib import demo_routers


def test_same_seed_same_isp():
    assert demo_generator.customers(50, seed=3) == demo_generator.customers(50, seed=3)
    assert demo_generator.customers(50, seed=3) != demo_generator.customers(50, seed=4)


def test_network_is_a_tree_of_pops_towers_and_access_points():
    sites, nas = demo_generator.network()
    keys = set()
    for site in sites:
        assert site["parent_key"] is None or site["parent_key"] in keys, "parents come first"
        keys.add(site["key"])
    types = [s["site_type"] for s in sites]
    assert types.count("pop") == 3
    assert types.count("tower") == 3 * demo_generator.TOWERS_PER_POP
    assert types.count("access_point") == 3 * demo_generator.TOWERS_PER_POP * demo_generator.SECTORS_PER_TOWER
    assert types.count("olt") == 1
    assert len(nas) == 3
    assert len({n["ip_address"] for n in nas}) == 3
    # One router per POP, with isp_base's NAS fields only: isp_base's model must be given no
    # field it lacks (the RouterOS API access is isp_network's, see the test below).
    assert [n["site_key"] for n in nas] == [s["key"] for s in sites if s["site_type"] == "pop"]
    assert all(set(n) == {"site_key", "name", "ip_address", "vendor", "radius_secret"} for n in nas)
    assert not any(key.startswith("api_") for n in nas for key in n)


def test_isp_network_gives_each_demo_router_its_api_access():
    _sites, nas = demo_generator.network()
    access = [demo_routers.api_access(row["site_key"], row["ip_address"]) for row in nas]
    for row, values in zip(nas, access, strict=True):
        assert set(values) == {"api_host", "api_port", "api_use_ssl", "api_username", "api_password"}
        assert values["api_host"] == row["ip_address"]
        assert (values["api_port"], values["api_use_ssl"]) == (8729, True)  # API-SSL
        assert values["api_password"] not in (row["radius_secret"], values["api_username"])
    assert len({values["api_password"] for values in access}) == len(nas), "one password per router"


def test_customers_are_near_their_access_point_around_yogyakarta():
    sites, _nas = demo_generator.network()
    by_key = {s["key"]: s for s in sites}
    for customer in demo_generator.customers(500):
        ap = by_key[customer["site_key"]]
        assert ap["site_type"] == "access_point"
        dlat = (customer["partner_latitude"] - ap["latitude"]) * demo_generator.KM_PER_DEGREE
        dlon = (
            (customer["partner_longitude"] - ap["longitude"])
            * demo_generator.KM_PER_DEGREE
            * math.cos(math.radians(ap["latitude"]))
        )
        assert math.hypot(dlat, dlon) <= demo_generator.CUSTOMER_RANGE_KM + 0.01
        assert -8.1 < customer["partner_latitude"] < -7.5
        assert 110.1 < customer["partner_longitude"] < 110.6


def test_phones_are_valid_indonesian_mobiles_in_e164():
    for customer in demo_generator.customers(500):
        number = phonenumbers.parse(customer["mobile"])
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.region_code_for_number(number) == "ID"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert customer["mobile"] == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_niks_look_real():
    for customer in demo_generator.customers(200):
        nik = customer["national_id"]
        assert len(nik) == 16 and nik.isdigit()
        assert nik.startswith("34")  # Daerah Istimewa Yogyakarta
        day = int(nik[6:8])
        assert 1 <= day <= 28 or 41 <= day <= 68
        assert 1 <= int(nik[8:10]) <= 12


def test_plans_are_priced_in_rupiah_and_valid():
    plans = demo_generator.plans()
    assert {p["key"] for p in plans} >= {"home10", "hemat30", "voucher5"}
    for plan in plans:
        assert plan["list_price"] >= 50000
        if plan["data_cap_gb"]:
            assert 0 < plan["fup_download_kbps"] < plan["download_kbps"]
        if plan["burst_download_kbps"]:
            assert plan["burst_threshold_download_kbps"] <= plan["burst_download_kbps"]
            assert plan["burst_time"] > 0


@pytest.mark.parametrize("count", [50_000])
def test_large_counts_stay_unique(count):
    started = time.perf_counter()
    customers = demo_generator.customers(count)
    elapsed = time.perf_counter() - started
    assert len(customers) == count
    assert len({c["national_id"] for c in customers}) == count
    assert len({c["mobile"] for c in customers}) == count
    print(f"{count} customers generated in {elapsed:.2f}s")
