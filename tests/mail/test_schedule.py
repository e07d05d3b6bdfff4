"""The schedule (mail/schedule.py) on its own, with made-up times: who goes
next, and when, overall and per recipient domain."""

from __future__ import annotations

import math

import pytest

from broadsheet.mail.schedule import MIN_RATE, Limits, Schedule, Wait, domain_of, slower
from broadsheet.mail.subscribers import Subscriber


def listed(*addresses: str) -> list[Subscriber]:
    return [Subscriber(address, None) for address in addresses]


def emails(taken: list) -> list[str]:
    return [subscriber.email for subscriber in taken]


def drain(schedule: Schedule, now: float) -> list[Subscriber]:
    """Everyone the schedule hands out at `now`, none of them ended."""
    taken = []
    while isinstance(subscriber := schedule.take(now), Subscriber):
        taken.append(subscriber)
    return taken


def test_with_no_pace_to_wait_for_the_list_order_is_kept():
    schedule = Schedule(listed("a@x.org", "b@y.org", "c@x.org"), Limits(rate=math.inf))
    sent = []
    while (subscriber := schedule.take(0.0)) is not None:
        sent.append(subscriber)
        schedule.finished(subscriber, 0.0)
    assert emails(sent) == ["a@x.org", "b@y.org", "c@x.org"]


def test_overall_a_pause_of_one_over_the_rate_follows_each_message():
    schedule = Schedule(listed("a@x.org", "b@y.org"), Limits(rate=4))
    first = schedule.take(10.0)
    assert emails([first]) == ["a@x.org"]
    assert schedule.take(10.1) == Wait(10.25)  # messages begin at least 1/4 s apart
    schedule.finished(first, 10.5)
    assert schedule.take(10.6) == Wait(10.75)  # and the pause follows the message's end
    assert emails([schedule.take(10.75)]) == ["b@y.org"]


def test_a_domain_with_a_message_under_way_waits_and_the_next_domain_goes():
    schedule = Schedule(
        listed("a1@x.org", "a2@x.org", "b1@y.org", "a3@x.org", "c1@z.org"), Limits(rate=math.inf)
    )
    first, second, third = drain(schedule, 0.0)
    assert emails([first, second, third]) == ["a1@x.org", "b1@y.org", "c1@z.org"]
    assert schedule.take(0.0) == Wait(None)  # x.org is at its limit: until a message ends
    schedule.finished(second, 1.0)
    assert schedule.take(1.0) == Wait(None)  # y.org is free, but owed nothing more
    schedule.finished(first, 2.0)
    assert emails(drain(schedule, 2.0)) == ["a2@x.org"]  # then a3, once a2 has ended


def test_two_slots_a_domain_never_has_three_messages_under_way():
    limits = Limits(rate=math.inf, domain_connections=2)
    schedule = Schedule(listed("a1@x.org", "a2@x.org", "a3@x.org", "b1@y.org"), limits)
    taken = drain(schedule, 0.0)
    assert emails(taken) == ["a1@x.org", "a2@x.org", "b1@y.org"]
    schedule.finished(taken[1], 1.0)
    assert emails(drain(schedule, 1.0)) == ["a3@x.org"]


def test_a_paced_domain_waits_while_the_others_go():
    limits = Limits(rate=math.inf, domain_rate=0.5)  # a pause of 2 s after each message to one
    schedule = Schedule(listed("a1@x.org", "a2@x.org", "b1@y.org", "b2@y.org"), limits)
    a1 = schedule.take(0.0)
    schedule.finished(a1, 0.5)
    b1 = schedule.take(0.5)  # a2 waits for x.org's pause; y.org's first goes
    assert emails([a1, b1]) == ["a1@x.org", "b1@y.org"]
    schedule.finished(b1, 0.75)
    assert schedule.take(1.0) == Wait(2.5)  # x.org's pause ends first: 0.5 + 2
    assert emails([schedule.take(2.5)]) == ["a2@x.org"]
    assert schedule.take(2.5) == Wait(2.75)  # y.org's: 0.75 + 2
    assert emails([schedule.take(2.75)]) == ["b2@y.org"]


def test_with_two_slots_messages_to_a_domain_also_begin_a_pause_apart():
    limits = Limits(rate=math.inf, domain_connections=2, domain_rate=1)
    schedule = Schedule(listed("a1@x.org", "a2@x.org"), limits)
    schedule.take(0.0)
    assert schedule.take(0.5) == Wait(1.0)
    assert emails([schedule.take(1.0)]) == ["a2@x.org"]


def test_the_first_owed_in_list_order_goes_when_several_domains_are_ready():
    limits = Limits(rate=math.inf, domain_rate=1)
    schedule = Schedule(listed("a1@x.org", "b1@y.org", "a2@x.org", "b2@y.org"), limits)
    for subscriber in drain(schedule, 0.0):
        schedule.finished(subscriber, 0.0)
    assert emails(drain(schedule, 5.0)) == ["a2@x.org", "b2@y.org"]


def test_nobody_left_to_hand_out_is_none_though_messages_are_under_way():
    schedule = Schedule(listed("a@x.org"), Limits(rate=1))
    assert emails([schedule.take(0.0)]) == ["a@x.org"]
    assert schedule.take(0.0) is None
    assert schedule.left == 0


def test_slowing_a_domain_down_leaves_the_others_alone():
    limits = Limits(rate=10, domain_rate=2)
    schedule = Schedule(listed("a1@x.org", "b1@y.org", "a2@x.org", "b2@y.org"), limits)
    a1 = schedule.take(0.0)
    schedule.slow_down(a1)  # x.org answered 4xx about a1
    assert schedule.domain_rate("x.org") == 1
    assert schedule.domain_rate("y.org") == 2
    assert schedule.rate == 10
    schedule.finished(a1, 0.0)
    b1 = schedule.take(0.1)
    schedule.finished(b1, 0.1)
    assert emails([schedule.take(0.6)]) == ["b2@y.org"]  # 0.1 + 1/2; x.org waits until 1.0
    assert emails([schedule.take(1.0)]) == ["a2@x.org"]


def test_slowing_the_whole_run_down_halves_the_overall_rate():
    schedule = Schedule(listed("a1@x.org"), Limits(rate=4, domain_rate=3))
    schedule.slow_down()
    assert schedule.rate == 2
    assert schedule.domain_rate("x.org") == 3  # its own pace; the run's caps it anyway


def test_a_domain_with_no_pace_of_its_own_is_slowed_from_the_runs():
    schedule = Schedule(listed("a1@x.org"), Limits(rate=4))
    schedule.slow_down(schedule.take(0.0))
    assert schedule.domain_rate("x.org") == 2


@pytest.mark.parametrize(
    ("rate", "after"),
    [(5.0, MIN_RATE), (MIN_RATE, MIN_RATE), (0.01, 0.01)],
)
def test_slowing_down_stops_at_the_floor_and_never_speeds_up(rate, after):
    for _ in range(20):
        rate = slower(rate)
    assert rate == after
    assert MIN_RATE == 1 / 15


def test_to_a_relay_nothing_waits_and_slowing_down_changes_nothing():
    schedule = Schedule(listed("a@x.org", "b@x.org"), Limits(rate=math.inf))
    a = schedule.take(0.0)
    schedule.slow_down(a)
    schedule.slow_down()
    schedule.finished(a, 0.0)
    assert emails([schedule.take(0.0)]) == ["b@x.org"]
    assert schedule.rate == math.inf


def test_a_domain_is_counted_in_lower_case():
    assert domain_of(Subscriber("Ada@Example.ORG", None)) == "example.org"
    schedule = Schedule(listed("a@X.org", "b@x.ORG"), Limits(rate=math.inf))
    assert emails(drain(schedule, 0.0)) == ["a@X.org"]


def test_a_pause_made_longer_after_it_was_filed_is_kept():
    """x.org is filed to wait until 1.0 when a1 begins; a1 then ends late,
    at 3.0, which moves the pause's end to 4.0: nothing goes to x.org before."""
    limits = Limits(rate=math.inf, domain_connections=2, domain_rate=1)
    schedule = Schedule(listed("a1@x.org", "a2@x.org", "a3@x.org"), limits)
    a1 = schedule.take(0.0)
    a2 = schedule.take(1.0)
    schedule.finished(a1, 3.0)
    schedule.finished(a2, 3.5)
    assert schedule.take(4.0) == Wait(4.5)  # asked again when first filed: the pause is longer
    assert emails([schedule.take(4.5)]) == ["a3@x.org"]
