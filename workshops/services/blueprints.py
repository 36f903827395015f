"""The starting shapes of a new map (the API calls them templates): its stages and its default
lanes."""

DEFAULT_LANES = [
    ("Touchpoints", "touchpoints"),
    ("Customer actions", "actions"),
    ("Thoughts", "thoughts"),
    ("Emotions", "emotions"),
    ("Pain points", "pain_points"),
    ("Opportunities", "opportunities"),
    ("Backstage", "backstage"),
    ("KPIs", "kpis"),
]

MAP_BLUEPRINTS = {
    "b2c": {
        "stages": [
            "Awareness",
            "Research",
            "Decision",
            "Purchase",
            "Onboarding",
            "Retention",
            "Advocacy",
        ],
        "lanes": DEFAULT_LANES,
    },
    "b2b": {
        "stages": [
            "Awareness",
            "Research",
            "Demo",
            "Internal approval",
            "Purchase",
            "Onboarding",
            "Renewal",
        ],
        "lanes": DEFAULT_LANES,
    },
    "blank": {"stages": [], "lanes": []},
}

TEMPLATE_LABELS = {
    "b2c": "B2C: awareness to advocacy",
    "b2b": "B2B: awareness to renewal",
    "blank": "Blank: no stages or lanes",
}
TEMPLATE_CHOICES = [(name, TEMPLATE_LABELS.get(name, name)) for name in MAP_BLUEPRINTS]
