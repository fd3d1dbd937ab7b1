"""Rules written as YAML: `rules:` a list of rules, each as `PUT /api/v1/cleaning/rules` takes them."""

from typing import Any

import yaml

from flexhub.cleaning.errors import UnreadableRules


def rules_from_yaml(text: str) -> list[dict[str, Any]]:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise UnreadableRules(f"the rules are not YAML{where}", line=mark.line + 1 if mark else None) from None
    rules = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(rules, list) or not all(isinstance(rule, dict) for rule in rules):
        raise UnreadableRules("the YAML holds no `rules:` list of rules")
    return rules
