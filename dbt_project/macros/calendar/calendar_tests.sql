{#
    Generic tests for the calendar. Each returns the rows that break the rule, so an empty result passes.
#}

{% test bank_holidays_cover_every_year(model, minimum_per_year=8) %}
    {#-
        Every calendar year has at least `minimum_per_year` bank holidays (England and Wales always has 8 or
        more). A year with fewer means the seed stops short of the calendar (as_of + 3 years): regenerate it with
        a later --last-year (`python -m pipeline.calendar_seed`, docs/architecture.md).
    -#}
    select
        calendar_year,
        sum(case when is_bank_holiday then 1 else 0 end) as bank_holidays
    from {{ model }}
    group by calendar_year
    having sum(case when is_bank_holiday then 1 else 0 end) < {{ minimum_per_year }}
{% endtest %}


{% test agrees_with_bank_holiday_seed(model) %}
    {#-
        An organisation's delivered England and Wales bank holidays against the seed ref_bank_holidays, over the
        years both cover (the delivered years inside the seed's range): one row per date listed by one and not the
        other. The warehouse counts working days with the seed alone, so a disagreement is a warning to raise with
        the organisation (or a sign that gov.uk announced a day the seed lacks), never a build failure.
        A null division is read as england-and-wales, the only division the contract uses (§5).
    -#}
    with

    delivered as (
        select distinct
            la_code,
            holiday_date
        from {{ model }}
        where coalesce(division, 'england-and-wales') = 'england-and-wales'
    ),

    seeded as (
        select cast(seed.date as date) as holiday_date
        from {{ ref('ref_bank_holidays') }} as seed
    ),

    seed_years as (
        select
            min(cast(extract(year from holiday_date) as integer)) as first_year,
            max(cast(extract(year from holiday_date) as integer)) as last_year
        from seeded
    ),

    shared_years as (
        select distinct
            delivered.la_code,
            cast(extract(year from delivered.holiday_date) as integer) as holiday_year
        from delivered
        cross join seed_years
        where cast(extract(year from delivered.holiday_date) as integer)
            between seed_years.first_year and seed_years.last_year
    ),

    expected as (
        select
            shared_years.la_code,
            seeded.holiday_date
        from shared_years
        inner join seeded
            on shared_years.holiday_year = cast(extract(year from seeded.holiday_date) as integer)
    ),

    delivered_in_shared_years as (
        select delivered.*
        from delivered
        inner join shared_years
            on
                delivered.la_code = shared_years.la_code
                and cast(extract(year from delivered.holiday_date) as integer) = shared_years.holiday_year
    )

    select
        delivered_in_shared_years.la_code,
        delivered_in_shared_years.holiday_date,
        'delivered, not in the seed' as problem
    from delivered_in_shared_years
    left join seeded
        on delivered_in_shared_years.holiday_date = seeded.holiday_date
    where seeded.holiday_date is null

    union all

    select
        expected.la_code,
        expected.holiday_date,
        'in the seed, not delivered' as problem
    from expected
    left join delivered
        on
            expected.la_code = delivered.la_code
            and expected.holiday_date = delivered.holiday_date
    where delivered.holiday_date is null
{% endtest %}


{% test bank_holidays_delivery_covers_the_years(model) %}
    {#-
        Input contract §5: an organisation's ref_bank_holidays must cover every year from its first delivered
        year to the year of as_of + 1 year. One row per organisation and year without a delivered England and
        Wales date. The contract calls a gap an F03-style delivery error; here it is a warning, because the
        warehouse counts working days with its own seed (docs/architecture.md, "Calendar") and a stale delivered
        list changes no figure: the organisation is told to refresh it (gov.uk publishes the next year in advance).
    -#}
    with

    delivered as (
        select distinct
            la_code,
            cast(extract(year from holiday_date) as integer) as holiday_year
        from {{ model }}
        where coalesce(division, 'england-and-wales') = 'england-and-wales'
    ),

    required as (
        select
            la_code,
            min(holiday_year) as first_year,
            cast(extract(year from {{ as_of_date() }}) as integer) + 1 as last_year
        from delivered
        group by la_code
    ),

    years as (
        select distinct calendar_year
        from {{ ref('int_calendar_days_listed') }}
    )

    select
        required.la_code,
        years.calendar_year as missing_year
    from required
    inner join years
        on years.calendar_year between required.first_year and required.last_year
    left join delivered
        on
            required.la_code = delivered.la_code
            and years.calendar_year = delivered.holiday_year
    where delivered.holiday_year is null
{% endtest %}
