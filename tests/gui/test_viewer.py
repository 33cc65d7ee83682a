"""When no PDF viewer starts, the desk is told where the file is and offered its folder."""

from __future__ import annotations

from minqing.gui.widgets import viewer


def test_a_failed_viewer_names_the_file_and_opens_its_folder(monkeypatch, dialogs, tmp_path):
    pdf = tmp_path / "打印" / "受理回执-2026-00001.pdf"
    opened = []

    def open_url(url):
        opened.append(url.toLocalFile())
        return url.toLocalFile() != str(pdf)  # the viewer fails, the folder opens

    monkeypatch.setattr(viewer.QDesktopServices, "openUrl", open_url)
    dialogs.answers.append(0)
    assert viewer.open_document(pdf) is False
    assert str(pdf) in dialogs.questions[0][1]
    assert opened == [str(pdf), str(pdf.parent)]


def test_a_viewer_that_starts_asks_nothing(monkeypatch, dialogs, tmp_path):
    monkeypatch.setattr(viewer.QDesktopServices, "openUrl", lambda _url: True)
    assert viewer.open_document(tmp_path / "a.pdf") is True
    assert dialogs.questions == []
