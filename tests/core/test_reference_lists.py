"""The lists every picker offers (staff, grids, windows), each asked of core in one way."""

from __future__ import annotations

from minqing.core import community as community_service
from minqing.core.models import Community, Grid, Staff, Window


def test_active_staff_of_one_community_by_name(office):
    other = Community.create(name="别的社区")
    Staff.create(community=other, name="外人", role="front_desk")
    Staff.create(community=office, name="阿离职", role="owner", active=False)
    names = [s.name for s in community_service.active_staff(office)]
    assert "外人" not in names and "阿离职" not in names
    assert set(names) == {"张敏", "李红", "赵刚"}
    assert names == sorted(names)
    assert [s.name for s in community_service.active_staff(office.id, role="front_desk")] == [
        "张敏"
    ]
    assert "外人" in [s.name for s in community_service.active_staff(None)]


def test_grids_in_their_order_and_windows_active_or_all(office):
    Grid.create(community=Community.create(name="别的社区"), name="外片区", sort=0)
    assert [g.name for g in community_service.grids(office)] == ["第一片区", "第二片区"]
    retired = Window.select().order_by(Window.sort).first()
    retired.active = False
    retired.save()
    assert retired.name not in [w.name for w in community_service.windows(active_only=True)]
    everything = community_service.windows()
    assert everything[0].name == retired.name and len(everything) == Window.select().count()
