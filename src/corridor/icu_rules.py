"""The ICU transliteration chain names are written in Latin by, and its rules read ahead.

ICU reads a script's transliteration rules the first time it meets that script and keeps
them for the process: Han's take about a tenth of a second, the chain's own and the other
scripts' a few hundredths together. :func:`warm` has them read in a background thread
while a command imports its modules and loads its index, so its first names do not wait
for them. This module imports nothing of corridor's, so the thread starts before the rest
of the command is imported.
"""

from __future__ import annotations

import threading

#: ICU chain: BGN/PCGN for Russian (kh, zh, ch, shch, ya, yu: the spellings lists use),
#: then every other script to Latin, then strip diacritics.
ICU_CHAIN = "Russian-Latin/BGN; Any-Latin; Latin-ASCII"

#: One word in each script the lists write names in, the commonest in customer files first.
WARM_WORDS = ("Иван", "محمد", "中国", "한국", "Αθήνα", "שלום", "カタカナ", "ქართ", "Հայ", "ไทย")

#: The thread reading the rules, once :func:`warm` started it.
warming: threading.Thread | None = None
#: What ICU wrote for ``WARM_WORDS`` in that thread (None until it is done, or where ICU
#: reported an error): the words in Latin, as the chain spells them.
transliterated: str | None = None


def warm() -> None:
    """Have ICU read the chain's rules for every script of ``WARM_WORDS`` in a background
    thread.

    ICU is called through its C interface (``ctypes`` lets go of the interpreter's lock;
    PyICU holds it), and keeps what it read in its registry, where the transliterator
    ``corridor.names.normalize`` makes later finds it. Where ICU's library cannot be found
    this way, nothing happens: the rules are read when first needed, as without this call.
    """
    global warming
    if warming is not None:
        return
    import ctypes

    import icu

    major = icu.ICU_VERSION.split(".")[0]
    try:
        lib = ctypes.CDLL(f"libicui18n.so.{major}")
        open_ = getattr(lib, f"utrans_openU_{major}")
        run = getattr(lib, f"utrans_transUChars_{major}")
        close = getattr(lib, f"utrans_close_{major}")
    except (OSError, AttributeError):
        return
    open_.restype = ctypes.c_void_p
    open_.argtypes = [ctypes.c_char_p, ctypes.c_int32, ctypes.c_int, ctypes.c_void_p]
    open_.argtypes += [ctypes.c_int32, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    size = ctypes.POINTER(ctypes.c_int32)
    run.argtypes = [ctypes.c_void_p, ctypes.c_char_p, size, ctypes.c_int32, ctypes.c_int32, size]
    run.argtypes += [ctypes.POINTER(ctypes.c_int)]
    close.argtypes = [ctypes.c_void_p]
    # Everything made before the thread starts: between its calls into ICU it needs the
    # interpreter's lock, which the importing main thread holds for milliseconds at a time.
    chain = ICU_CHAIN.encode("utf-16-le")
    text = " ".join(WARM_WORDS).encode("utf-16-le")  # one call: ICU reads each script's run
    length, limit = ctypes.c_int32(len(text) // 2), ctypes.c_int32(len(text) // 2)
    buffer = ctypes.create_string_buffer(text, 8 * len(text))  # room for what ICU writes
    opened, status = ctypes.c_int(0), ctypes.c_int(0)

    def read_rules() -> None:
        global transliterated
        handle = open_(chain, len(chain) // 2, 0, None, -1, None, ctypes.byref(opened))
        if handle:
            room = len(buffer) // 2
            run(
                handle,
                buffer,
                ctypes.byref(length),
                room,
                0,
                ctypes.byref(limit),
                ctypes.byref(status),
            )
            close(handle)
            if status.value <= 0:  # no error (ICU's warnings are negative)
                transliterated = buffer.raw[: 2 * length.value].decode("utf-16-le")

    warming = threading.Thread(target=read_rules, name="icu-rules", daemon=True)
    warming.start()
