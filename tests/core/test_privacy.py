from __future__ import annotations

import pytest

from minqing.core.privacy import (
    mask_address,
    mask_free_address,
    mask_name,
    mask_phone,
    mask_phones_in_text,
)


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小吉", "王*吉"),
        ("王吉", "王*"),
        ("欧阳小明", "欧**明"),
        ("王", "王"),
        ("", ""),
    ],
)
def test_mask_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("0451-86123456", "0451-****3456"),
        ("", ""),
        ("110", "***"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_mask_address_keeps_courtyard_and_building_only():
    assert mask_address("中和小区", "3", "2", "501") == "中和小区3号楼"
    assert mask_free_address("中和小区3号楼2单元501室") == "中和小区3号楼"
    assert mask_free_address("比乐街25号102室") == "比乐街25号"


def test_phones_inside_text_are_masked():
    assert (
        mask_phones_in_text("请回电13812345678或 139-0000-1111")
        == "请回电138****5678或 139****1111"
    )


def test_private_details_inside_a_request_text_are_hidden():
    from minqing.core.privacy import mask_public_text as mask_private_text

    text = "永新街46号1号楼2单元402室的老人瘫痪在床，邻居住3-2-501，电话13812345678"
    shown = mask_private_text(text)
    assert "永新街46号1号楼" in shown  # where, roughly: the neighbours need that
    for private in ("2单元", "402室", "3-2-501", "13812345678"):
        assert private not in shown
