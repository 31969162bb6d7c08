"""Driving a Playwright scenario from a thread of its own."""

import threading


def run_on_own_thread(scenario, *args, timeout: float = 240) -> None:
    """Run `scenario(*args)` on a new thread and re-raise its failure here.

    Another browser test may hold a Playwright loop on the test thread for the whole session, and
    Playwright's sync API refuses to start a second one on the same thread.
    """
    failures = []

    def run():
        try:
            scenario(*args)
        except BaseException as error:
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=timeout)
    assert not thread.is_alive(), "the browser scenario did not finish"
    if failures:
        raise failures[0]
