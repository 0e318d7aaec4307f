"""The roles people have in practicekb, as auth groups and the permissions each one holds.

A data migration creates the groups from this table; later issues add to it with their own
migrations (Trainers get the sheet permissions when sheets exist).
"""

STAFF = "Staff"
EDITORS = "Editors"
TRAINERS = "Trainers"
REVIEWERS = "Reviewers"  # confirm and reject crosswalk links (compare migration 0004)

# (app_label, codename) per group.
TAGGING_PERMISSIONS = [
    ("principles", "add_taggedstatement"),  # put a theme on a statement
    ("principles", "delete_taggedstatement"),  # take a theme off a statement
    ("principles", "add_theme"),  # add a new theme to the vocabulary while tagging
]


def _crud(app_label, model, actions=("add", "change", "delete", "view")):
    return [(app_label, f"{action}_{model}") for action in actions]


# Editors keep the content right in admin (their accounts also need "staff status" to reach
# /admin/). Whole organizations and documents are retired rather than deleted, so deleting
# those is left to superusers.
EDITING_PERMISSIONS = [
    *_crud("organizations", "organization", ("add", "change", "view")),
    *_crud("principles", "document", ("add", "change", "view")),
    *_crud("principles", "section"),
    *_crud("principles", "statement"),
    *_crud("principles", "theme"),
    *_crud("principles", "taggedstatement"),
]

GROUPS = {
    STAFF: TAGGING_PERMISSIONS,
    EDITORS: EDITING_PERMISSIONS,
    TRAINERS: [],  # sheets (issue 7) grant theirs when the sheet model exists
}
