# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""A realistic small ISP around Yogyakarta, Indonesia, as plain data.

The same generator feeds the addon's demo data (500 customers) and the
benchmarks (any number of customers): it returns dictionaries only and never
touches Odoo, so making 50,000 customers takes about a second.

The network is a tree: points of presence (POP) in Kota Yogyakarta, Sleman and
Bantul, towers around each POP and sector access points on each tower (plus a
fibre OLT at the central POP). Customers are spread around their access point
with a distance that thins out with range, as wireless coverage does.
Phone numbers are Indonesian mobile numbers in E.164 form and national IDs are
16-digit NIKs built as the real ones are (province, regency, district, birth
date, serial), all unique for a given seed.
"""

import math
import random

# (code, name, city, regency code in the NIK, latitude, longitude)
POPS = [
    ("JOG", "POP Jogja Kota", "Yogyakarta", "71", -7.7956, 110.3695),
    ("SLM", "POP Sleman", "Sleman", "04", -7.7160, 110.3550),
    ("BTL", "POP Bantul", "Bantul", "02", -7.8880, 110.3290),
]
TOWERS_PER_POP = 3
SECTORS_PER_TOWER = 3
TOWER_DISTANCE_KM = (1.5, 4.0)
CUSTOMER_RANGE_KM = 1.8
KM_PER_DEGREE = 111.32

KECAMATAN = {
    "Yogyakarta": [
        "Gondokusuman",
        "Jetis",
        "Tegalrejo",
        "Umbulharjo",
        "Kotagede",
        "Mergangsan",
        "Wirobrajan",
    ],
    "Sleman": ["Depok", "Mlati", "Ngaglik", "Gamping", "Godean", "Kalasan", "Ngemplak"],
    "Bantul": ["Sewon", "Kasihan", "Banguntapan", "Pandak", "Bantul", "Jetis", "Pleret"],
}
ZIP_BY_CITY = {"Yogyakarta": "552", "Sleman": "555", "Bantul": "557"}
STREETS = [
    "Jl. Kaliurang",
    "Jl. Magelang",
    "Jl. Parangtritis",
    "Jl. Godean",
    "Jl. Wates",
    "Jl. Imogiri Barat",
    "Jl. Solo",
    "Jl. Gejayan",
    "Jl. Monjali",
    "Jl. Palagan",
    "Jl. Bantul",
    "Jl. Ringroad Utara",
    "Jl. Taman Siswa",
    "Jl. Kusumanegara",
    "Jl. Cik Di Tiro",
    "Jl. Affandi",
    "Jl. Seturan Raya",
]
FIRST_NAMES = [
    "Agus",
    "Budi",
    "Dewi",
    "Sri",
    "Wahyu",
    "Rina",
    "Eko",
    "Siti",
    "Joko",
    "Ayu",
    "Bambang",
    "Indah",
    "Hendra",
    "Lestari",
    "Yusuf",
    "Nur",
    "Rizki",
    "Fitri",
    "Andi",
    "Wulan",
    "Dimas",
    "Ratna",
    "Teguh",
    "Puji",
    "Galih",
    "Endah",
    "Arif",
    "Kurniasih",
    "Bayu",
    "Retno",
    "Slamet",
    "Suharti",
    "Fajar",
    "Maya",
]
LAST_NAMES = [
    "Santoso",
    "Wibowo",
    "Susanto",
    "Pratama",
    "Lestari",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Kusuma",
    "Nugroho",
    "Setiawan",
    "Rahayu",
    "Purnomo",
    "Handayani",
    "Suryadi",
    "Prasetyo",
    "Utami",
    "Hartono",
    "Sulistyo",
    "Wulandari",
    "Firmansyah",
    "Permana",
    "Anggraini",
    "Raharjo",
]
# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren).
MOBILE_PREFIXES = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "856",
    "857",
    "858",
    "817",
    "818",
    "819",
    "859",
    "877",
    "878",
    "895",
    "896",
    "897",
    "898",
    "881",
    "882",
]

# Service plans, priced in IDR: (key, name, price, down kbit/s, up kbit/s, cap GB, FUP down/up kbit/s,
# overage per GB, connection type, installation fee, included hours, extra hour price)
PLANS = [
    ("home10", "Home 10 Mbps", 166500, 10000, 5000, 0, 0, 0, 0, "pppoe", 250000, 0, 0),
    ("home20", "Home 20 Mbps", 250000, 20000, 10000, 0, 0, 0, 0, "pppoe", 250000, 0, 0),
    ("home50", "Home 50 Mbps", 450000, 50000, 25000, 0, 0, 0, 0, "pppoe", 250000, 0, 0),
    (
        "hemat30",
        "Hemat 30 Mbps FUP 300 GB",
        200000,
        30000,
        10000,
        300,
        5000,
        2000,
        2500,
        "pppoe",
        150000,
        0,
        0,
    ),
    ("biz100", "Bisnis 100 Mbps IP Statis", 1500000, 100000, 100000, 0, 0, 0, 0, "static_ip", 1000000, 0, 0),
    ("voucher5", "Hotspot Voucher 5 Mbps", 50000, 5000, 2000, 0, 0, 0, 0, "hotspot", 0, 30, 2000),
]
PLAN_WEIGHTS = [30, 30, 12, 18, 3, 7]


def _offset(lat, lon, distance_km, bearing):
    """The point at a distance and bearing (radians) from (lat, lon), flat-earth approximation."""
    dlat = distance_km * math.cos(bearing) / KM_PER_DEGREE
    dlon = distance_km * math.sin(bearing) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return round(lat + dlat, 7), round(lon + dlon, 7)


def plans():
    """The plans as dictionaries keyed by plan field names (plus ``key`` for references)."""
    result = []
    for (
        key,
        name,
        price,
        down,
        up,
        cap,
        fup_down,
        fup_up,
        overage,
        ctype,
        install,
        hours,
        hour_price,
    ) in PLANS:
        result.append(
            {
                "key": key,
                "name": name,
                "list_price": price,
                "download_kbps": down,
                "upload_kbps": up,
                "burst_download_kbps": down * 2 if ctype == "pppoe" else 0,
                "burst_upload_kbps": up * 2 if ctype == "pppoe" else 0,
                "burst_threshold_download_kbps": down * 3 // 4 if ctype == "pppoe" else 0,
                "burst_threshold_upload_kbps": up * 3 // 4 if ctype == "pppoe" else 0,
                "burst_time": 16 if ctype == "pppoe" else 0,
                "data_cap_gb": cap,
                "fup_download_kbps": fup_down,
                "fup_upload_kbps": fup_up,
                "overage_price_per_gb": overage,
                "connection_type": ctype,
                "billing_period": "monthly",
                "installation_fee": install,
                "included_hours": hours,
                "extra_hour_price": hour_price,
            }
        )
    return result


def network(seed=42):
    """Sites (parents before children, with ``key``/``parent_key``) and one MikroTik NAS per POP.

    A NAS row holds isp_base's NAS fields only (plus ``site_key``): the RouterOS API access
    is isp_network's, which gives the demo routers theirs (``isp_network/lib/demo_routers.py``).
    """
    rng = random.Random(seed)
    sites, nas = [], []
    for index, (code, name, city, _regency, lat, lon) in enumerate(POPS, start=1):
        sites.append(
            {
                "key": code,
                "parent_key": None,
                "name": name,
                "code": code,
                "site_type": "pop",
                "latitude": lat,
                "longitude": lon,
                "city": city,
            }
        )
        if code == "JOG":
            sites.append(
                {
                    "key": f"{code}-OLT1",
                    "parent_key": code,
                    "name": f"OLT {city} 1",
                    "code": f"{code}-OLT1",
                    "site_type": "olt",
                    "latitude": lat,
                    "longitude": lon,
                    "city": city,
                }
            )
        for tower_no in range(1, TOWERS_PER_POP + 1):
            bearing = 2 * math.pi * tower_no / TOWERS_PER_POP + rng.uniform(-0.4, 0.4)
            t_lat, t_lon = _offset(lat, lon, rng.uniform(*TOWER_DISTANCE_KM), bearing)
            tower_key = f"{code}-T{tower_no}"
            sites.append(
                {
                    "key": tower_key,
                    "parent_key": code,
                    "name": f"Tower {city} {tower_no}",
                    "code": tower_key,
                    "site_type": "tower",
                    "latitude": t_lat,
                    "longitude": t_lon,
                    "city": city,
                }
            )
            for sector in range(1, SECTORS_PER_TOWER + 1):
                ap_key = f"{tower_key}-AP{sector}"
                sites.append(
                    {
                        "key": ap_key,
                        "parent_key": tower_key,
                        "name": f"AP {city} {tower_no}.{sector} ({sector * 120 - 120}°)",
                        "code": ap_key,
                        "site_type": "access_point",
                        "latitude": t_lat,
                        "longitude": t_lon,
                        "city": city,
                    }
                )
        nas.append(
            {
                "site_key": code,
                "name": f"CCR2004 {city}",
                "ip_address": f"10.10.{index}.1",
                "vendor": "mikrotik",
                "radius_secret": f"demo-{code.lower()}-secret",
            }
        )
    return sites, nas


def customers(count, seed=42, sites=None):
    """``count`` customers, each attached to an access point (``site_key``) with a plan ``plan_key``."""
    if sites is None:
        sites, _nas = network(seed)
    access_points = [s for s in sites if s["site_type"] == "access_point"]
    regency_by_city = {city: regency for _c, _n, city, regency, _la, _lo in POPS}
    plan_keys = [p[0] for p in PLANS]
    rng = random.Random(seed + 1)
    result = []
    for index in range(count):
        ap = access_points[index % len(access_points)]
        city = ap["city"]
        # Denser near the tower: distance ~ sqrt(uniform) * range would be uniform over the area,
        # a plain uniform distance concentrates customers near it.
        lat, lon = _offset(
            ap["latitude"], ap["longitude"], rng.uniform(0.05, CUSTOMER_RANGE_KM), rng.uniform(0, 2 * math.pi)
        )
        female = rng.random() < 0.5
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        day = rng.randrange(1, 29) + (40 if female else 0)
        birth = f"{day:02d}{rng.randrange(1, 13):02d}{rng.randrange(50, 100) if index % 3 else rng.randrange(0, 6):02d}"
        # District and serial encode the index, so NIKs are unique up to 990,000 customers.
        serial = index % 10000
        district = index // 10000 + 1
        nik = f"34{regency_by_city[city]}{district:02d}{birth}{serial:04d}"
        mobile = f"+62{MOBILE_PREFIXES[index % len(MOBILE_PREFIXES)]}{index:08d}"
        kecamatan = rng.choice(KECAMATAN[city])
        result.append(
            {
                "name": f"{first} {last}",
                "street": f"{rng.choice(STREETS)} No. {rng.randrange(1, 250)}",
                "street2": f"Kec. {kecamatan}",
                "city": city,
                "zip": f"{ZIP_BY_CITY[city]}{rng.randrange(10, 100)}",
                "mobile": mobile,
                "national_id": nik,
                "partner_latitude": lat,
                "partner_longitude": lon,
                "site_key": ap["key"],
                "plan_key": rng.choices(plan_keys, weights=PLAN_WEIGHTS)[0],
            }
        )
    return result
