"""Where an interrupted batch run stopped, so ``--resume`` neither screens a row twice nor
loses one.

After each chunk of output is written and flushed, ``<output>.checkpoint.json`` is replaced
(atomically) by one that says how many input records are done and where the final output
ends. A resumed run checks it is the same input and options, cuts the output back to that
point (dropping a chunk written after the last checkpoint) and skips that many records.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from corridor.errors import InputError


@dataclass
class Checkpoint:
    #: What the run is: input file (path, size, modification time) and options.
    job: str
    #: Input records consumed (screened or reported bad) and the output's resume point.
    records: int = 0
    output_at: int | None = None
    rows_with_alerts: int = 0
    alerts: int = 0
    bad_rows: int = 0

    @staticmethod
    def path_for(output: Path) -> Path:
        return Path(str(output) + ".checkpoint.json")

    @staticmethod
    def job_of(input_path: Path, options: str) -> str:
        st = input_path.stat()
        text = f"{input_path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{options}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @classmethod
    def load(cls, output: Path, job: str) -> Checkpoint:
        """The checkpoint of an interrupted run of this job; refuses another job's."""
        path = cls.path_for(output)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found = cls(**data)
        except FileNotFoundError:
            raise InputError(
                "nothing to resume: no checkpoint beside the output (run without --resume)",
                path=str(path),
            ) from None
        except (OSError, ValueError, TypeError) as exc:
            raise InputError(
                f"unreadable checkpoint ({exc}); run without --resume", path=str(path)
            ) from None
        if found.job != job:
            raise InputError(
                "the checkpoint is of another input or other options; run without --resume to "
                "start over",
                path=str(path),
            )
        return found

    def save(self, output: Path) -> None:
        path = self.path_for(output)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(asdict(self)), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def clear(cls, output: Path) -> None:
        cls.path_for(output).unlink(missing_ok=True)
