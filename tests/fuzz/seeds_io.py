"""What the mkseeds*.py scripts share: where the corpora live and how one is
written (the directory replaced whole, one file per seed)."""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")


def write(name, seeds):
    """tests/fuzz/corpus/<name>/ holds exactly seeds ({file name: bytes-like})."""
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for fname, data in seeds.items():
        with open(os.path.join(d, fname), "wb") as f:
            f.write(bytes(data))
