"""`python -m booklet` and the `booklet` command."""
import signal
import sys


def main():
    # Loading booklet takes a moment, and the command's own Ctrl-C handling is not in place
    # until it has loaded. A KeyboardInterrupt raised in the middle of loading a C extension
    # (pikepdf) even turns into an ImportError with a traceback. So a Ctrl-C is only noted
    # while booklet loads, and acted on once it has.
    pressed = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        from .cli import main as run_command
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        print("Interrupted; the previous output is unchanged.", file=sys.stderr)
        raise SystemExit(130)
    run_command()


if __name__ == "__main__":
    main()
