{#- Landed observations held back by a row-level check, with every reason. They do not block
    publication; together with fct_kpi_observation they account for every landed row. -#}

with observations as (
    select * from {{ ref('int_kpi_observations__checked') }}
),

quarantined as (
    select
        observation_id,
        doc_id,
        kpi_id,
        issuer_code,
        grant_program_id,
        grant_program_printed,
        project_name_printed,
        kpi_name_printed,
        measure,
        fiscal_year,
        value,
        value_text,
        unit,
        status,
        page,
        line,
        cell,
        fragment,
        reader,
        quarantine_reason
    from observations
    where quarantine_reason is not null
)

select * from quarantined
