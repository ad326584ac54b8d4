{#- Every fiscal year the marts can hold, with its Japanese-era (和暦) label: 2023 → 令和5年度,
    2019 → 令和元年度 (an era's first year is 元年). A fiscal year is named by the era in force
    when it begins (April), which is the era whose first Western year is the latest not after it. -#}

with years as (
    select range::integer as fiscal_year
    from range(
        {{ quality_param('first_fiscal_year') }},
        year(current_date) + {{ quality_param('target_horizon_years') }} + 1
    )
),

eras as (
    select * from {{ ref('dim_japanese_era') }}
),

labelled as (
    select
        years.fiscal_year,
        eras.era_name,
        eras.era_letter,
        years.fiscal_year - eras.first_year + 1 as era_year
    from years
    asof join eras on years.fiscal_year >= eras.first_year
),

named as (
    select
        *,
        era_name || case when era_year = 1 then '元' else era_year::varchar end || '年度' as fiscal_year_ja
    from labelled
),

final as (
    select
        fiscal_year,
        era_name,
        era_year,
        fiscal_year_ja,
        era_letter || era_year::varchar as fiscal_year_short,
        fiscal_year::varchar || '年度（' || fiscal_year_ja || '）' as fiscal_year_label
    from named
)

select * from final
