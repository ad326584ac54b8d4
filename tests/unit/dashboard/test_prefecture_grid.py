"""The map's tile grid (orchestration/dashboard/prefecture_grid.toml) against the official codes."""

import csv

from orchestration.config import DBT_SEEDS_DIR
from orchestration.dashboard.texts import data_file


def test_the_prefecture_grid_places_each_prefecture_of_the_codes_seed_once() -> None:
    tiles = data_file("prefecture_grid")["tiles"]
    with (DBT_SEEDS_DIR / "local_government_codes.csv").open(encoding="utf-8") as f:
        prefectures = {row["code"]: row["prefecture"] for row in csv.DictReader(f) if not row["city"]}
    assert sorted(tiles) == sorted(prefectures) and len(tiles) == 47
    places = [(tile["column"], tile["row"]) for tile in tiles.values()]
    assert len(set(places)) == 47, "two prefectures on one square"
    # 北海道 north-east of 東京, 東京 north-east of 福岡, 沖縄 south-west of all
    hokkaido, tokyo, fukuoka, okinawa = (tiles[c] for c in ("010006", "130001", "400009", "470007"))
    assert hokkaido["row"] < tokyo["row"] and hokkaido["column"] > tokyo["column"] > fukuoka["column"]
    assert okinawa["row"] == max(r for _, r in places) and okinawa["column"] == min(c for c, _ in places)
