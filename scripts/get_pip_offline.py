"""Stand-in for the get-pip.py that ansible-test downloads when it bootstraps pip.

Our machines cannot reach the host ansible-test downloads get-pip.py from. This script does the
same job offline: it bootstraps pip with the standard library's ensurepip, then runs
`python -m pip install` with the arguments it was given, so pip reads the machine's own
configuration (index, CA bundle) as usual.
"""
import ensurepip
import os
import subprocess
import sys

# pip's own installer does not take these get-pip.py options.
GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}


def main():
    ensurepip.bootstrap(upgrade=True)
    # ensurepip sets PIP_CONFIG_FILE=/dev/null in this process; the pip we start next must read
    # the machine's configuration, so drop it from the environment we pass on.
    env = dict(os.environ)
    env.pop("PIP_CONFIG_FILE", None)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    if args:
        return subprocess.call([sys.executable, "-m", "pip", "install", *args], env=env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
