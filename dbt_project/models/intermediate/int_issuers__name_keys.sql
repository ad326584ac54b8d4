{#- Each name key a government is matched by (its full name and its short one, int_issuers__names),
    one row per government and key: a prefecture's two keys are one. Matching a printed name is
    then an equality join on the key, not a comparison with every government's two keys (which
    made int_manifest__checked take 78 s at 10,000 documents). -#}

with issuers as (
    select * from {{ ref('int_issuers__names') }}
),

keys as (
    select distinct issuers.issuer_code, issuers.issuer_name, name_keys.name_key
    from issuers
    cross join unnest([issuers.full_name_key, issuers.short_name_key]) as name_keys (name_key)
    where name_keys.name_key is not null
),

final as (
    select issuer_code, issuer_name, name_key from keys
)

select * from final
