"""Prints a greeting read from data/, with the Python version it runs on."""
import pathlib
import sys

greeting = (pathlib.Path(__file__).parent / "data" / "greeting.txt").read_text().strip()
print(f"{greeting} from Python {sys.version_info.major}.{sys.version_info.minor}")
