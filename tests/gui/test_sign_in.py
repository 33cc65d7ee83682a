"""The sign-in dialog: the remembered user, the Chinese messages, the first administrator."""

from __future__ import annotations

from minqing.core.accounts import services as service
from minqing.core.accounts.models import Account
from minqing.gui.sign_in import FirstAdminDialog, SignInDialog


def test_sign_in_remembers_last_user(qtbot, accounts):
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.username.setText("张敏")
    dialog.password.setText("secret-1")
    dialog.try_sign_in()
    assert dialog.staff.name == "张敏" and dialog.result() == dialog.DialogCode.Accepted
    again = SignInDialog()
    qtbot.addWidget(again)
    assert again.username.text() == "张敏"


def test_wrong_password_message_and_lock(qtbot, accounts):
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.username.setText("张敏")
    for _ in range(4):
        dialog.password.setText("wrong!")
        dialog.try_sign_in()
    assert "用户名或密码不对" in dialog.message.text() and dialog.staff is None
    dialog.password.setText("wrong!")
    dialog.try_sign_in()
    assert "账号已锁定，请在" in dialog.message.text()
    assert dialog.password.text() == ""


def test_demo_hint_only_for_demo(qtbot, accounts):
    plain, demo = SignInDialog(), SignInDialog(demo=True)
    qtbot.addWidget(plain)
    qtbot.addWidget(demo)
    assert demo.findChild(type(demo.message), "demoHint") is not None
    assert plain.findChild(type(plain.message), "demoHint") is None
    assert service.DEMO_PASSWORD in demo.findChild(type(demo.message), "demoHint").text()


def test_first_administrator(qtbot, office):
    dialog = FirstAdminDialog(office)
    qtbot.addWidget(dialog)
    dialog.name.setText("刘管理")
    dialog.password.setText("admin-1")
    dialog.repeat.setText("admin-2")
    dialog.create()
    assert "两次输入的密码不一样" in dialog.message.text()
    dialog.repeat.setText("admin-1")
    dialog.create()
    assert dialog.staff.name == "刘管理" and dialog.staff.role == "admin"
    assert Account.select().count() == 1


def test_after_an_admin_reset_a_new_password_is_required(qtbot, accounts):
    service.set_password(accounts["front_desk"], "temp-pass-1", actor=accounts["admin"])
    dialog = SignInDialog()
    qtbot.addWidget(dialog)
    dialog.username.setText("张敏")
    dialog.password.setText("temp-pass-1")
    dialog.try_sign_in()
    assert dialog.staff is None and dialog.result() != dialog.DialogCode.Accepted
    assert "新密码" in dialog.message.text() and not dialog.new_password.isHidden()
    dialog.new_password.setText("temp-pass-1")
    dialog.repeat.setText("temp-pass-1")
    dialog.try_sign_in()
    assert "不能和原密码相同" in dialog.message.text() and dialog.staff is None
    dialog.new_password.setText("mine-pass-2")
    dialog.repeat.setText("mine-pass-3")
    dialog.try_sign_in()
    assert "不一样" in dialog.message.text() and dialog.staff is None
    dialog.repeat.setText("mine-pass-2")
    dialog.try_sign_in()
    assert dialog.staff.name == "张敏" and dialog.result() == dialog.DialogCode.Accepted
    assert not Account.get(Account.username == "张敏").must_change_password
    assert service.sign_in("张敏", "mine-pass-2").name == "张敏"
