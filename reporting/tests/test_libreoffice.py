"""The files open in LibreOffice (no repair) and the Chinese text survives into the rendered PDF."""

import datetime as dt
import shutil
import subprocess

from conftest import skip_or_fail

from .scenario import build


def test_xlsx_and_docx_render_in_libreoffice(forms, file_return, tmp_path):
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        skip_or_fail("LibreOffice (soffice) or pdftotext is not installed")
    s = build(forms)
    ret = file_return(campaign=s["campaign"], template=forms["统计表二"], unit=s["unit_a"],
                      cutoff=dt.date(2023, 9, 30), by=s["user_a"])
    job = ret.jobs.get()
    (tmp_path / "form_x.xlsx").write_bytes(job.xlsx.read())
    (tmp_path / "form_d.docx").write_bytes(job.docx.read())

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(tmp_path / "form_x.xlsx"), str(tmp_path / "form_d.docx")],
        check=True, capture_output=True, timeout=180,
    )

    for stem in ("form_x", "form_d"):
        first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(tmp_path / f"{stem}.pdf"), "-"],
                                    check=True, capture_output=True, text=True).stdout.replace(" ", "")
        # the whole form (title, last row, 备注) fits on the first landscape page
        assert "2023年医疗器械质量安全专项整治工作情况统计表二" in first_page
        assert "填报单位（盖章）：五马市场监管所" in first_page
        assert "医疗器械网络交易服务第三方平台" in first_page.replace("\n", "")
        assert "截至2023年9月30日的累计数" in first_page.replace("\n", "")
