"""The Japanese eras (元号) and the first Western year of each, from the table the extraction reads
era years with (orchestration.extract.normalize), so that 和暦 labels and parsing share one table."""

import pandas as pd

from orchestration.extract.normalize import ERA_LETTERS, ERAS


def model(dbt, session):
    dbt.config(materialized="table")
    letters = {name: letter for letter, name in ERA_LETTERS.items()}
    return pd.DataFrame(
        {
            "era_name": list(ERAS),
            "era_letter": [letters[name] for name in ERAS],
            "first_year": [int(year) for year in ERAS.values()],
        }
    )
