{{ config(**rebuilt_per_document('doc_id')) }}

{#- Each observation's value in its base unit (千円 → 円 ×1000, 万人 → 人 ×10000, % kept),
    with the factor visible. A printed unit missing from the unit_scales seed gets no factor
    and is flagged for review; the observation itself is kept. Rebuilt per document
    (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('int_kpi_observations__corrected') }}
    where {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

unit_scales as (
    select * from {{ ref('unit_scales') }}
),

-- match each distinct printed unit once, not once per observation
printed_units as (
    select
        printed.unit,
        unit_scales.unit is not null as is_known,
        unit_scales.scale_factor,
        unit_scales.base_unit,
        unit_scales.is_rate
    from (select distinct unit from observations where unit is not null) as printed
    left join unit_scales
        on {{ name_key('unit_scales.unit') }} = {{ name_key('printed.unit') }}
),

scaled as (
    select
        observations.*,
        case
            when observations.unit is null then 'none'
            when printed_units.is_known then 'known'
            else 'unknown'
        end as unit_status,
        case when observations.unit is null then 1.0 else printed_units.scale_factor end as scale_factor,
        printed_units.base_unit,
        coalesce(printed_units.is_rate, false) as is_rate
    from observations
    left join printed_units using (unit)
),

final as (
    select
        *,
        value * scale_factor as value_base
    from scaled
)

select * from final
