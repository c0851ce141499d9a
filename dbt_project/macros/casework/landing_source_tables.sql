{#
    The tables of the dbt source `landing` (every family's sources file), as {table_name: (input_family,
    ledger_table_name)}: 'ssda903_episodes' -> ('ssda903', 'episodes'); every CIN table -> 'cin' (one delivered
    file); 'ssd_contacts' -> ('ssd', 'ssd_contacts'). The load ledger itself is left out. Empty while dbt only parses
    the project (the graph exists at execution).
#}

{% macro landing_source_tables() %}
    {%- set tables = {} -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name == 'landing' and node.name != 'load_ledger' -%}
                {%- if node.name.startswith('ssda903_') -%}
                    {%- do tables.update({node.name: ('ssda903', node.name[8:])}) -%}
                {%- elif node.name.startswith('cin_') -%}
                    {%- do tables.update({'cin': ('cin', 'cin')}) -%}
                {%- else -%}
                    {%- do tables.update({node.name: (node.name.split('_')[0], node.name)}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(tables) }}
{% endmacro %}
