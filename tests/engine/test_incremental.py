"""A build renders only the Stacks whose inputs changed, and equals a build from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homestack.catalog import CatalogError, load
from homestack.engine import desired
from homestack.engine.incremental import Build, build
from homestack.policy import check_homelab
from homestack_testing.homelabs import copy_homelab


@pytest.fixture
def lab(small_homelab: Path, tmp_path: Path) -> Path:
    root = tmp_path / "lab"
    copy_homelab(small_homelab, root)
    return root


def _edit(lab: Path, stack: str, old: str, new: str) -> None:
    path = lab / "stacks" / stack / "stack.py"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _same_as_from_scratch(made: Build, root: Path) -> None:
    """The build's value is what loading and rendering everything again gives."""
    wanted = desired(load(root))
    assert made.checked.desired.resources == wanted.resources
    assert made.checked.desired.graph.waves == wanted.graph.waves
    assert made.checked.findings == tuple(check_homelab(wanted.homelab, wanted.resources))
    assert sorted(made.checked.desired.homelab.stacks) == sorted(wanted.homelab.stacks)


def test_an_unchanged_homelab_renders_no_stack(lab: Path) -> None:
    first = build(lab)
    again = build(lab, previous=first.parts, before=first.checked)
    assert (first.rendered, again.rendered) == (("notes", "platform", "traefik", "whoami"), ())
    assert first.parts.changed() is None
    _same_as_from_scratch(again, lab)


def test_an_edited_stack_is_the_only_one_rendered(lab: Path) -> None:
    first = build(lab)
    _edit(lab, "whoami", "whoami:v1.10.3", "whoami:v1.11.0")
    assert first.parts.changed() == str(lab / "stacks" / "whoami" / "stack.py")
    again = build(lab, previous=first.parts, before=first.checked)
    assert again.rendered == ("whoami",)
    _same_as_from_scratch(again, lab)


def test_a_data_file_a_stack_reads_is_its_input(lab: Path) -> None:
    first = build(lab)
    settings = lab / "stacks" / "platform" / "settings.yaml"
    settings.write_text(settings.read_text() + "\n# a comment changes the file\n")
    again = build(lab, previous=first.parts, before=first.checked)
    assert again.rendered == ("platform",)
    _same_as_from_scratch(again, lab)


def test_an_edited_site_renders_every_stack(lab: Path) -> None:
    first = build(lab)
    site = lab / "site.py"
    site.write_text(site.read_text() + "\n# edited\n")
    assert len(build(lab, previous=first.parts, before=first.checked).rendered) == 4


def test_a_governance_change_from_one_stack_reaches_the_others(lab: Path) -> None:
    """notes runs a pod in whoami's namespace, whose tier sets its priority class: after an
    edit of whoami's tier, whoami alone is rendered and notes is governed by the new tier."""
    notes = lab / "stacks" / "notes" / "stack.py"
    notes.write_text(notes.read_text() + """
raw(stack, {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "notes-sync", "namespace": "whoami"},
            "spec": {"selector": {"matchLabels": {"app": "sync"}},
                     "template": {"metadata": {"labels": {"app": "sync"}},
                                  "spec": {"containers": [{"name": "sync",
                                                           "image": "busybox:1.36"}]}}}})
""")
    first = build(lab)
    _edit(lab, "whoami", "tier=tier.AUX", "tier=tier.CORE")
    again = build(lab, previous=first.parts, before=first.checked)
    assert again.rendered == ("whoami",)
    _same_as_from_scratch(again, lab)

    def priority(made: Build) -> str:
        [sync] = [r for r in made.checked.desired.resources["notes"]
                  if r.object_name == "notes-sync"]
        return str(sync.body["spec"]["template"]["spec"]["priorityClassName"])

    assert priority(first) != priority(again)


def test_stack_folders_added_and_removed(lab: Path) -> None:
    first = build(lab)
    shutil.copytree(lab / "stacks" / "notes", lab / "stacks" / "notes2")
    _edit(lab, "notes2", '"notes"', '"notes2"')
    added = build(lab, previous=first.parts, before=first.checked)
    assert added.rendered == ("notes2",)
    _same_as_from_scratch(added, lab)
    shutil.rmtree(lab / "stacks" / "notes")
    removed = build(lab, previous=added.parts, before=added.checked)
    assert removed.rendered == () and "notes" not in removed.checked.desired.resources
    _same_as_from_scratch(removed, lab)


def test_a_broken_edit_raises_and_the_parts_stay_usable(lab: Path) -> None:
    first = build(lab)
    _edit(lab, "whoami", "whoami:v1.10.3", "whoami:v1.11.0")
    path = lab / "stacks" / "whoami" / "stack.py"
    good = path.read_text()
    path.write_text(good + "\nnamespace(stack, bogus=1)\n")
    with pytest.raises(CatalogError) as failure:
        build(lab, previous=first.parts, before=first.checked)
    assert failure.value.location and failure.value.location.startswith("stacks/whoami/stack.py")
    path.write_text(good)
    assert build(lab, previous=first.parts, before=first.checked).rendered == ("whoami",)


def test_a_narrowed_build_leaves_other_changed_stacks_as_last_rendered(lab: Path) -> None:
    first = build(lab)
    _edit(lab, "whoami", "whoami:v1.10.3", "whoami:v1.11.0")
    _edit(lab, "notes", 'description="Notes, one per user"', 'description="Notes"')
    narrowed = build(lab, previous=first.parts, before=first.checked, only={"whoami"})
    assert (narrowed.rendered, narrowed.stale) == (("whoami",), ("notes",))
    assert narrowed.checked.desired.resources["notes"] == \
        first.checked.desired.resources["notes"]
    assert narrowed.checked.desired.homelab.stacks["notes"].description == \
        "Notes, one per user"
    assert narrowed.parts.changed() is not None  # the stand-in is not taken for current
    full = build(lab, previous=narrowed.parts, before=narrowed.checked)
    assert (full.rendered, full.stale) == (("notes",), ())
    _same_as_from_scratch(full, lab)


def test_a_narrowed_build_renders_what_the_selection_needs(lab: Path) -> None:
    first = build(lab)
    _edit(lab, "traefik", 'description="Ingress controller"', 'description="Ingress"')
    _edit(lab, "notes", 'description="Notes, one per user"', 'description="Notes"')
    # whoami needs traefik
    narrowed = build(lab, previous=first.parts, before=first.checked, only={"whoami"})
    assert (narrowed.rendered, narrowed.stale) == (("traefik",), ("notes",))


def test_stand_ins_that_no_longer_fit_fall_back_to_a_full_build(lab: Path) -> None:
    """notes (edited, not selected) stops needing traefik, then traefik's folder goes: the
    last render of notes still needs it, so the build renders notes again."""
    first = build(lab)
    _edit(lab, "notes", 'needs=["traefik"]', "needs=[]")
    _edit(lab, "whoami", 'needs=["traefik"]', "needs=[]")
    shutil.rmtree(lab / "stacks" / "traefik")
    made = build(lab, previous=first.parts, before=first.checked, only={"whoami"})
    assert (made.rendered, made.stale) == (("notes", "whoami"), ())
    _same_as_from_scratch(made, lab)


def test_without_previous_parts_a_narrowed_build_renders_everything(lab: Path) -> None:
    made = build(lab, only={"whoami"})
    assert (len(made.rendered), made.stale) == (4, ())


def test_findings_of_unchanged_stacks_are_kept_and_an_edited_stack_is_checked_again(
        lab: Path) -> None:
    _edit(lab, "notes", '"metadata": {"name": f"notes-{user}"},',
          '"metadata": {"name": f"notes-{user}"}, "immutable": False,')
    _edit(lab, "whoami", '"limits": {"memory": "32Mi"}', '"limits": {"memory": "32Mi", "cpu": "1"}')
    first = build(lab)
    limited = [f for f in first.checked.findings if f.rule == "HS-WORKLOAD-003"]
    assert [f.stack for f in limited] == ["whoami"]  # a Stack-scoped rule
    _edit(lab, "notes", '"immutable": False,', "")
    kept = build(lab, previous=first.parts, before=first.checked)
    assert kept.rendered == ("notes",)
    assert [f.stack for f in kept.checked.findings if f.rule == "HS-WORKLOAD-003"] == ["whoami"]
    _same_as_from_scratch(kept, lab)
    _edit(lab, "whoami", ', "cpu": "1"', "")
    fixed = build(lab, previous=kept.parts, before=kept.checked)
    assert fixed.rendered == ("whoami",)
    assert not [f for f in fixed.checked.findings if f.rule == "HS-WORKLOAD-003"]
    _same_as_from_scratch(fixed, lab)
