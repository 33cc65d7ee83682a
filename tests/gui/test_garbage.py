"""Cycles are collected on the GUI thread, never in a worker (gui/garbage.py): a Qt object in
a cycle collected by a worker thread is destroyed there, which crashed the program (-11)."""

from __future__ import annotations

import gc
import threading

from minqing.gui.garbage import GarbageCollector


class Node:
    def __init__(self, seen: list[str]) -> None:
        self.seen = seen
        self.me = self  # a cycle: only the collector frees it

    def __del__(self) -> None:
        self.seen.append(threading.current_thread().name)


def test_a_cycle_dropped_in_a_worker_is_collected_on_the_gui_thread(qtbot):
    seen: list[str] = []
    kept: list[list] = []

    def worker() -> None:
        Node(seen)
        kept.extend([] for _ in range(20 * gc.get_threshold()[0]))  # automatic GC would run

    collector = GarbageCollector()
    try:
        assert not gc.isenabled()
        thread = threading.Thread(target=worker, name="pool-worker")
        thread.start()
        thread.join()
        assert seen == []  # the worker allocated past the threshold and collected nothing
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        assert seen == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled()
