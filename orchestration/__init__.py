"""sosei: a data warehouse of the KPI reports of Japan's regional revitalisation grants."""
