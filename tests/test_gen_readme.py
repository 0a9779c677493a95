# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""setup/gen_readme.py: each addon's README.rst is generated from its readme/*.md fragments,
reads as valid reStructuredText (docutils, with OCA's settings: a warning is an error), and the
committed one is up to date."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("gen_readme", ROOT / "setup" / "gen_readme.py")
gen_readme = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_readme)

GENERATED = sorted(path.parent.name for path in ROOT.glob("isp_*/README.rst"))


def test_the_addons_have_their_readme():
    assert {"isp_base", "isp_subscription", "isp_network", "isp_radius"} <= set(GENERATED)


@pytest.mark.parametrize("addon", GENERATED)
def test_readme_is_up_to_date_and_parses(addon, tmp_path):
    assert gen_readme.main(["--no-docutils", "--output-dir", str(tmp_path), addon]) == 0
    generated = (tmp_path / addon / "README.rst").read_text(encoding="utf-8")
    committed = (ROOT / addon / "README.rst").read_text(encoding="utf-8")
    assert generated == committed, (
        f"{addon}/README.rst is out of date: run python3 setup/gen_readme.py {addon}"
    )
    assert gen_readme.main(["--check", "--no-docutils", addon]) == 0
    pytest.importorskip("docutils")
    gen_readme.check_rst(generated, f"{addon}/README.rst")


def test_layout_follows_oca():
    text = gen_readme.render(ROOT / "isp_radius")
    titles = [
        line
        for line, underline in zip(text.splitlines(), text.splitlines()[1:], strict=False)
        if set(underline) == {"="}
    ]
    assert titles[:2] == ["ISP FreeRADIUS", "Configuration"]
    assert titles[-2:] == ["Usage", "Credits"]
    assert "!! source digest: sha256:" in text
    assert ".. contents::" in text
    assert "https://img.shields.io/badge/licence-AGPL--3-blue.png" in text
    assert "github.com" not in text  # no link to a repository that does not exist


def test_check_reports_a_stale_readme(tmp_path):
    addon = tmp_path / "isp_demo"
    (addon / "readme").mkdir(parents=True)
    (addon / "__manifest__.py").write_text('{"name": "ISP Demo", "author": "A, B", "license": "AGPL-3"}')
    (addon / "readme" / "DESCRIPTION.md").write_text("What it does.\n")
    assert gen_readme.main(["--check", "--no-docutils", str(addon)]) == 1
    assert gen_readme.main(["--no-docutils", str(addon)]) == 0
    assert gen_readme.main(["--check", "--no-docutils", str(addon)]) == 0
    (addon / "readme" / "USAGE.md").write_text("Use it.\n")
    assert gen_readme.main(["--check", "--no-docutils", str(addon)]) == 1
    text = (addon / "README.rst").read_text()
    assert "Authors\n-------\n\n- A\n- B\n" in text


MARKDOWN = """\
Plain *emphasis*, **strong**, `code`s, a [link](https://example.com/a_b), a name_ and a | pipe,
\\*not emphasis\\* and `a\\*b`; **the owner of `radacct`** and a code span over two `lines
of text`.

# A heading

1. First, with a nested list right after its text:
   - one
   - two

   and a paragraph of the same item.
2. Second, with a table:

   | on | privileges |
   | --- | --- |
   | `radcheck` | `SELECT`, `INSERT` |
   | `a\\|b` | a \\| pipe |

3. Third
lazily continued.

```python
print("hello")
```
"""


def test_markdown_becomes_restructured_text():
    rst = gen_readme.markdown_to_rst(MARKDOWN)
    assert "Plain *emphasis*, **strong**, ``code``\\ s, a `link <https://example.com/a_b>`__" in rst
    assert "a name\\_ and a \\| pipe" in rst
    assert "\\*not emphasis\\* and ``a\\*b``" in rst
    assert "**the owner of** ``radacct``" in rst
    assert "``lines\nof text``" in rst
    assert "A heading\n---------\n" in rst
    # A nested list is set apart from its item's text by a blank line, as RST needs.
    assert (
        "1. First, with a nested list right after its text:\n\n   - one\n   - two\n\n   and a paragraph"
        in rst
    )
    assert "   .. list-table::\n      :header-rows: 1\n\n      * - on\n        - privileges\n" in rst
    assert "      * - ``a|b``\n        - a \\| pipe\n" in rst
    assert "3. Third\n   lazily continued.\n" in rst
    assert '.. code:: python\n\n   print("hello")\n' in rst


def test_markdown_result_parses():
    pytest.importorskip("docutils")
    rst = gen_readme.markdown_to_rst(MARKDOWN)
    gen_readme.check_rst(f"=====\nTitle\n=====\n\nSection\n=======\n\n{rst}")
    with pytest.raises(Exception, match="WARNING/2"):  # a warning stops the check, as OCA's
        gen_readme.check_rst("=====\nTitle\n=====\n\nText\n\n  quoted\nnot\n")
