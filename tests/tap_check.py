"""TAP for the Python tests: numbered checks, skips that say why, the plan last."""
import sys


class Tap:
    def __init__(self):
        self.results = []

    def check(self, name, condition, detail=""):
        self.results.append(bool(condition))
        print("%s %d - %s" % ("ok" if condition else "not ok", len(self.results), name))
        if not condition and detail:
            print("# " + str(detail).replace("\n", "\n# "))

    def skip(self, name, reason):
        self.results.append(True)
        print("ok %d - %s # SKIP %s" % (len(self.results), name, reason))

    def finish(self):
        """Prints the plan and exits: 0 when every check passed."""
        print("1..%d" % len(self.results))
        sys.exit(0 if all(self.results) else 1)


def raises(function, *args):
    """Whether function(*args) raises ValueError."""
    try:
        function(*args)
    except ValueError:
        return True
    return False
