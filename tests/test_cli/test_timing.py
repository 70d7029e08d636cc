import time

from litehrnet_mm.cli.timing import interleaved


def test_no_timed_run_pays_for_the_run_of_another_candidate():
    """A candidate that slows down whatever runs next (as onnxruntime's
    spinning threads slow the next PyTorch run) does not show up in the
    times of the others."""
    calls = []
    lingering = [False]

    def candidate(name, seconds, leaves_cost):

        def run():
            if lingering[0] and calls and calls[-1] != name:
                time.sleep(0.2)  # the previous candidate's cost
            lingering[0] = leaves_cost
            calls.append(name)
            time.sleep(seconds)

        return run

    rounds = interleaved({
        'reference': candidate('reference', 0.002, False),
        'spinning': candidate('spinning', 0.002, True),
        'other': candidate('other', 0.004, False),
    }, rounds=3, repeats=4)
    assert list(rounds) == ['reference', 'spinning', 'other']
    for name, seconds in [('reference', 0.002), ('spinning', 0.002),
                          ('other', 0.004)]:
        assert len(rounds[name]) == 3
        assert all(seconds <= t < seconds + 0.1 for t in rounds[name]), (
            name, rounds[name])
    # one untimed run and four timed ones per candidate and round, in
    # blocks whose order rotates
    assert len(calls) == 3 * 3 * 5
    blocks = [calls[i] for i in range(0, len(calls), 5)]
    assert blocks == ['reference', 'spinning', 'other',
                      'spinning', 'other', 'reference',
                      'other', 'reference', 'spinning']
    assert all(calls[i:i + 5] == [calls[i]] * 5
               for i in range(0, len(calls), 5))
