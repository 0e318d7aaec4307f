"""Real races on PostgreSQL: threads, each with its own connection, through the real views.

Every round starts its threads together at a barrier. Result looked for: 0 lost changes,
0 responses 5xx, every refused change explained.
"""

import re
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse

from organizations.models import Organization
from principles.models import Document, Statement, TaggedStatement, Theme
from principles.services.tagging import add_theme_to_statement
from principles.services.themes import delete_unused_themes, merge_themes
from sheets.models import Sheet, SheetItem
from tests.editing.conftest import change_form_data

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("race tests need PostgreSQL: DATABASE_URL=postgres://... make test")


@pytest.fixture
def content():
    organization = Organization.objects.create(
        name="Race Agency", slug="race", kind="state_agency", jurisdiction="X"
    )
    document = Document.objects.create(
        organization=organization, slug="d", title="D", kind="policy", status="published"
    )
    return [
        Statement.objects.create(document=document, position=n, kind="value", text=f"Value {n}.")
        for n in range(1, 11)
    ]


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def drawn_at(client, statement):
    """The drawing time the statement's page gives its tagging forms (the user's stale page)."""
    html = client.get(statement.get_absolute_url()).content.decode()
    return re.search(r'name="loaded_at" value="([^"]+)"', html).group(1)


def tag(client, statement, loaded_at, name):
    """Add the theme called `name` from the statement's page drawn at `loaded_at`."""
    return client.post(
        reverse("principles:statement-theme-add", kwargs={"pk": statement.pk}),
        {"name": name, "loaded_at": loaded_at},
    ).status_code


def together(*calls):
    """Run the calls at once, each in its own thread; return their results in order."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # reported by the assertions
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_merge_against_ten_concurrent_taggers_loses_nothing(content, superuser):
    clients = [signed_in(superuser) for _ in content]
    for round_ in range(20):
        old = Theme.objects.create(name=f"Old {round_}", slug=f"old-{round_}")
        survivor = Theme.objects.create(name=f"New {round_}", slug=f"new-{round_}")

        # each tagger's page was drawn before the merge
        pages = [drawn_at(c, s) for c, s in zip(clients, content, strict=True)]

        def merge(old=old, survivor=survivor):
            return merge_themes(survivor, [old, survivor], user=superuser)

        results = together(
            merge,
            *(
                lambda c=c, s=s, p=p, n=old.name: tag(c, s, p, n)
                for c, s, p in zip(clients, content, pages, strict=True)
            ),
        )
        assert not isinstance(results[0], Exception), results[0]
        assert results[1:] == [302] * 10, f"round {round_}: {results[1:]}"
        assert not Theme.objects.filter(pk=old.pk).exists()
        on_survivor = TaggedStatement.objects.filter(tag=survivor).count()
        assert on_survivor == 10, f"round {round_}: {on_survivor} of 10 taggings on the survivor"


def test_two_editors_saving_one_statement_at_once_one_wins_one_is_told(content, superuser):
    bob = User.objects.create_superuser("bob", "bob@example.org", "pw")
    ann_client, bob_client = signed_in(superuser), signed_in(bob)
    for round_, statement in enumerate(content):
        url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
        ann, bob_ = change_form_data(ann_client.get(url)), change_form_data(bob_client.get(url))
        ann["text"], bob_["label"] = f"Edited text {round_}.", f"{round_}."
        results = together(
            lambda a=ann, u=url: ann_client.post(u, a),
            lambda b=bob_, u=url: bob_client.post(u, b),
        )
        statuses = sorted(response.status_code for response in results)
        assert statuses == [200, 302], statuses
        refused = next(response for response in results if response.status_code == 200)
        assert "after you opened this form" in refused.content.decode()
        statement.refresh_from_db()
        winner_text = statement.text == f"Edited text {round_}."
        winner_label = statement.label == f"{round_}."
        assert winner_text != winner_label  # exactly one change saved, the other refused


def test_deleting_a_sheet_while_another_tab_adds_to_it_answers_cleanly(content, superuser):
    client_a, client_b = signed_in(superuser), signed_in(superuser)
    for round_ in range(10):
        sheet = Sheet.objects.create(owner=superuser, title=f"Sheet {round_}")
        SheetItem.objects.create(sheet=sheet, statement=content[0], position=1)
        results = together(
            lambda s=sheet: client_a.post(
                reverse("sheets:delete", kwargs={"public_id": s.public_id})
            ),
            lambda s=sheet: client_b.post(
                reverse("sheets:add"), {"statement": content[1].pk, "sheet": str(s.public_id)}
            ),
        )
        statuses = [response.status_code for response in results]
        assert statuses[0] == 302
        assert statuses[1] in (302, 409), statuses
        if statuses[1] == 409:
            assert "was deleted meanwhile" in results[1].content.decode()
        assert not Sheet.objects.filter(pk=sheet.pk).exists()
        assert not SheetItem.objects.filter(sheet_id=sheet.pk).exists()


def test_public_tagging_while_an_editor_saves_the_statement_keeps_both(content, superuser):
    staffer = User.objects.create_superuser("staffer", "staffer@example.org", "pw")
    editor, tagger = signed_in(superuser), signed_in(staffer)
    for round_, statement in enumerate(content):
        url = reverse("admin:principles_statement_change", kwargs={"object_id": statement.pk})
        data, loaded_at = change_form_data(editor.get(url)), drawn_at(tagger, statement)
        data["text"] = f"Fixed typo {round_}."
        results = together(
            lambda d=data, u=url: editor.post(u, d).status_code,
            lambda s=statement, p=loaded_at: (
                tagger.post(
                    reverse("principles:statement-theme-add", kwargs={"pk": s.pk}),
                    {"name": "Kinship", "loaded_at": p},
                ).status_code
            ),
        )
        assert results == [302, 302], results
        statement.refresh_from_db()
        assert statement.text == f"Fixed typo {round_}."
        assert statement.tags.filter(name="Kinship").exists(), f"round {round_}: theme lost"
        removed = TaggedStatement.history.filter(content_object_id=statement.pk, history_type="-")
        assert not removed.exists()  # nobody is said to have removed anything


def test_reorder_against_a_field_edit_from_a_stale_form_loses_neither(content, superuser):
    bob = User.objects.create_superuser("bob", "bob@example.org", "pw")
    ann_client, bob_client = signed_in(superuser), signed_in(bob)
    document = content[0].document
    url = reverse("admin:principles_document_change", kwargs={"object_id": document.pk})
    for round_ in range(5):
        ann, bob_ = change_form_data(ann_client.get(url)), change_form_data(bob_client.get(url))
        top = document.statements.order_by("position").first()
        key = next(k for k, v in ann.items() if k.endswith("-id") and v == str(top.pk))
        ann[key.replace("-id", "-order")] = "2.5"  # the first statement goes second
        bob_["approved_by"] = f"Board {round_}"
        results = together(
            lambda a=ann: ann_client.post(url, a), lambda b=bob_: bob_client.post(url, b)
        )
        statuses = sorted(response.status_code for response in results)
        assert statuses == [200, 302], statuses
        top.refresh_from_db()
        moved = top.position == 2
        approved = Document.objects.get(pk=document.pk).approved_by == f"Board {round_}"
        assert moved != approved  # one applied in full, the other refused and explained
        refused = next(response for response in results if response.status_code == 200)
        assert "after you opened this form" in refused.content.decode()


def test_many_tabs_adding_one_new_theme_to_one_statement_make_one_theme_and_one_tagging(
    content, superuser
):
    clients, statement = [signed_in(superuser) for _ in range(10)], content[0]
    for round_ in range(20):
        name = f"Shared {round_}"
        pages = [drawn_at(c, statement) for c in clients]
        results = together(
            *(
                lambda c=c, p=p, n=name: (
                    c.post(
                        reverse("principles:statement-theme-add", kwargs={"pk": statement.pk}),
                        {"name": n, "loaded_at": p},
                    ).status_code
                )
                for c, p in zip(clients, pages, strict=True)
            )
        )
        assert results == [302] * 10, f"round {round_}: {results}"
        assert Theme.objects.filter(name=name).count() == 1
        theme = Theme.objects.get(name=name)
        added = TaggedStatement.history.filter(content_object_id=statement.pk, tag_id=theme.pk)
        assert list(added.values_list("history_type", flat=True)) == ["+"]


def test_adding_a_theme_that_another_tab_removes_at_once_never_undoes_the_removal(
    content, superuser
):
    """Both pages were drawn with the theme on. Whichever comes first, the removal stands:
    the addition either finds the theme there (nothing to do) or is refused and explained."""
    remover, adder = signed_in(superuser), signed_in(superuser)
    outcomes = {"already there": 0, "refused": 0}
    for round_ in range(20):
        statement = content[round_ % len(content)]
        theme = add_theme_to_statement(statement, f"Contested {round_}", user=superuser).theme
        first, second = drawn_at(remover, statement), drawn_at(adder, statement)
        results = together(
            lambda s=statement, t=theme, p=first: remover.post(
                reverse("principles:statement-theme-remove", kwargs={"pk": s.pk, "slug": t.slug}),
                {"loaded_at": p},
            ),
            lambda s=statement, t=theme, p=second: adder.post(
                reverse("principles:statement-theme-add", kwargs={"pk": s.pk}),
                {"name": t.name, "loaded_at": p},
            ),
        )
        removed, added = results
        assert removed.status_code == 302, round_
        assert added.status_code in (302, 409), (round_, added.status_code)
        if added.status_code == 409:
            assert "removed the theme" in added.content.decode()
            outcomes["refused"] += 1
        else:
            outcomes["already there"] += 1
        assert not statement.tags.filter(pk=theme.pk).exists(), f"round {round_}: undone"
    assert sum(outcomes.values()) == 20
    print(f"add against remove, 20 rounds: {outcomes}")  # both orders happen


def test_renaming_a_theme_while_ten_taggers_use_its_old_name_loses_nothing(content, superuser):
    admin_client, clients = signed_in(superuser), [signed_in(superuser) for _ in content]
    for round_ in range(10):
        theme = Theme.objects.create(name=f"Before {round_}", slug=f"before-{round_}")
        url = reverse("admin:principles_theme_change", kwargs={"object_id": theme.pk})
        data = {**change_form_data(admin_client.get(url)), "name": f"After {round_}"}
        pages = [drawn_at(c, s) for c, s in zip(clients, content, strict=True)]

        results = together(
            lambda d=data, u=url: admin_client.post(u, d).status_code,
            *(
                lambda c=c, s=s, p=p, n=theme.name: tag(c, s, p, n)
                for c, s, p in zip(clients, content, pages, strict=True)
            ),
        )
        assert results == [302] * 11, f"round {round_}: {results}"
        theme.refresh_from_db()
        assert theme.name == f"After {round_}"
        assert TaggedStatement.objects.filter(tag=theme).count() == 10
        assert not Theme.objects.filter(name__iexact=f"Before {round_}").exists()


def test_deleting_an_unused_theme_while_ten_taggers_use_it_loses_no_tagging(content, superuser):
    clients = [signed_in(superuser) for _ in content]
    kept = 0
    for round_ in range(10):
        theme = Theme.objects.create(name=f"Spare {round_}", slug=f"spare-{round_}")
        pages = [drawn_at(c, s) for c, s in zip(clients, content, strict=True)]

        results = together(
            lambda t=theme: delete_unused_themes([t], user=superuser),
            *(
                lambda c=c, s=s, p=p, n=theme.name: tag(c, s, p, n)
                for c, s, p in zip(clients, content, pages, strict=True)
            ),
        )
        assert not isinstance(results[0], Exception), results[0]
        assert results[1:] == [302] * 10, f"round {round_}: {results[1:]}"
        kept += bool(results[0][1])
        # kept (a tagging came first) or deleted and made anew by the first tagging after
        assert Theme.objects.filter(name=f"Spare {round_}").count() == 1
        survivor = Theme.objects.get(name=f"Spare {round_}")
        assert TaggedStatement.objects.filter(tag=survivor).count() == 10


def test_two_reviewers_linking_one_new_pair_at_once_make_one_link(content, superuser):
    """Both verdicts are taken (302, no IntegrityError as a 500); the pair has one link, with
    the verdict saved last, and its history both."""
    from compare.models import CrosswalkLink

    other = Organization.objects.create(
        name="Other Agency", slug="other", kind="state_agency", jurisdiction="Y"
    )
    document = Document.objects.create(
        organization=other, slug="d", title="D", kind="policy", status="published"
    )
    second_reviewer = User.objects.create_superuser("deputy", "deputy@example.org", "pw")
    clients = [signed_in(superuser), signed_in(second_reviewer)]
    for round_ in range(5):
        partner = Statement.objects.create(
            document=document, position=round_ + 1, kind="value", text=f"Value {round_}."
        )
        pair = {"first": content[round_].pk, "second": partner.pk, "note": "same idea"}
        answers = together(
            *(
                lambda client=client, data={**pair, "action": action}: client.post(
                    reverse("compare:review-link"), data
                )
                for client, action in zip(clients, ("confirm", "reject"), strict=True)
            )
        )
        assert [answer.status_code for answer in answers] == [302, 302], answers
        link = CrosswalkLink.objects.get(first=content[round_], second=partner)
        assert link.history.count() == 2
        assert link.verdict == link.history.latest().verdict
