#!/usr/bin/env python3
"""Generate known-answer test vectors for the encrypted journal (libsodium 1.0.18 primitives).

What it makes
-------------
One pretty-printed JSON file per primitive in Tests/EvidenceVaultTests/Vectors/
(relative to the repository root, i.e. the parent of this scripts/ folder):

    argon2id.json           crypto_pwhash, Argon2id v1.3 (ALG_ARGON2ID13)
    xchacha20poly1305.json  crypto_aead_xchacha20poly1305_ietf_encrypt
    kdf.json                crypto_kdf_derive_from_key (BLAKE2b based)
    ed25519.json            crypto_sign_seed_keypair + crypto_sign_detached
    box_seed_keypair.json   crypto_box_seed_keypair
    box_seal.json           crypto_box_seal (quick notes), with a fixed ephemeral key
    sha256.json             SHA-256
    chain.json              the journal's SHA-256 hash chain (genesis / leaf / chain rule)
    pad.json                sodium_pad (ISO/IEC 7816-4), block size 256
    blake2b_keyed.json      crypto_generichash (keyed BLAKE2b, 32-byte key, 32-byte output)

Each file is {"source": "<what computed it>", "vectors": [ {...}, ... ]}; every byte
string is lowercase hex. The values are computed by implementations independent of
the Swift code under test (PyNaCl, the `cryptography` package, Python's hashlib and
pure Python) and each one is cross-checked against a second implementation where one
is available; any disagreement aborts the script with an AssertionError. If the
system's libsodium shared library (e.g. Debian's libsodium23 1.0.18) can be loaded
with ctypes, every vector is additionally recomputed with it and the "source" string
says so.

The script is deterministic: all inputs are fixed in this file (byte strings that are
not spelled out literally are SHAKE-256 expansions of fixed labels); it uses no
randomness, so running it again produces byte-identical files.

How to run
----------
    python3 -m venv /tmp/vec
    /tmp/vec/bin/pip install pynacl cryptography
    /tmp/vec/bin/python scripts/make-vectors.py

Requires Python 3.11+.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import struct
import sys
from importlib.metadata import version as dist_version
from pathlib import Path

import nacl.bindings as nb
import nacl.encoding
import nacl.hash
import nacl.signing
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

OUT_DIR = Path(__file__).resolve().parent.parent / "Tests" / "EvidenceVaultTests" / "Vectors"

PYNACL = f"PyNaCl {dist_version('pynacl')} (bundled libsodium)"
CRYPTOGRAPHY = f"cryptography {dist_version('cryptography')}"
try:
    from cryptography.hazmat.backends.openssl import backend as _ossl_backend

    CRYPTOGRAPHY_OSSL = f"{CRYPTOGRAPHY} ({_ossl_backend.openssl_version_text()})"
except Exception:  # pragma: no cover - informational only
    CRYPTOGRAPHY_OSSL = CRYPTOGRAPHY
HASHLIB = f"Python {sys.version.split()[0]} hashlib"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------

def fill(label: str, n: int) -> bytes:
    """Deterministic filler bytes: SHAKE-256 of a fixed label."""
    return hashlib.shake_256(label.encode("utf-8")).digest(n)


def hx(b: bytes) -> str:
    return b.hex()


def write(name: str, source: str, vectors: list[dict]) -> None:
    assert 3 <= len(vectors) <= 7, (name, len(vectors))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / name
    with path.open("w", encoding="utf-8") as f:
        json.dump({"source": source, "vectors": vectors}, f, indent=2, ensure_ascii=False)
        f.write("\n")
    # verify it parses back
    with path.open("r", encoding="utf-8") as f:
        back = json.load(f)
    assert back["vectors"] == vectors
    print(f"wrote {path} ({len(vectors)} vectors)")


# ---------------------------------------------------------------------------
# optional: the system libsodium via ctypes (a second, version-pinned libsodium)
# ---------------------------------------------------------------------------

class SystemSodium:
    """Thin ctypes wrapper over the system libsodium, used only for cross-checks."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("sodium")
        candidates = [name] if name else []
        candidates += ["libsodium.so.23", "libsodium.so"]
        lib = None
        for c in candidates:
            try:
                lib = ctypes.CDLL(c)
                break
            except OSError:
                continue
        if lib is None:
            raise OSError("no system libsodium")
        self.lib = lib
        lib.sodium_version_string.restype = ctypes.c_char_p
        if lib.sodium_init() < 0:
            raise OSError("sodium_init failed")
        self.version = lib.sodium_version_string().decode()
        c_ull, c_size, c_p = ctypes.c_ulonglong, ctypes.c_size_t, ctypes.c_char_p
        lib.crypto_pwhash.argtypes = [c_p, c_ull, c_p, c_ull, c_p, c_ull, c_size, ctypes.c_int]
        lib.crypto_aead_xchacha20poly1305_ietf_encrypt.argtypes = [
            c_p, ctypes.POINTER(c_ull), c_p, c_ull, c_p, c_ull, c_p, c_p, c_p]
        lib.crypto_kdf_derive_from_key.argtypes = [c_p, c_size, ctypes.c_uint64, c_p, c_p]
        lib.crypto_sign_seed_keypair.argtypes = [c_p, c_p, c_p]
        lib.crypto_sign_detached.argtypes = [c_p, ctypes.POINTER(c_ull), c_p, c_ull, c_p]
        lib.crypto_box_seed_keypair.argtypes = [c_p, c_p, c_p]
        lib.sodium_pad.argtypes = [ctypes.POINTER(c_size), c_p, c_size, c_size, c_size]
        lib.crypto_generichash.argtypes = [c_p, c_size, c_p, c_ull, c_p, c_size]
        lib.crypto_hash_sha256.argtypes = [c_p, c_p, c_ull]

    def pwhash_argon2id13(self, outlen, pw, salt, ops, mem) -> bytes:
        out = ctypes.create_string_buffer(outlen)
        alg = 2  # crypto_pwhash_ALG_ARGON2ID13
        assert self.lib.crypto_pwhash(out, outlen, pw, len(pw), salt, ops, mem, alg) == 0
        return out.raw

    def xchacha_encrypt(self, m, ad, npub, k) -> bytes:
        c = ctypes.create_string_buffer(len(m) + 16)
        clen = ctypes.c_ulonglong(0)
        rc = self.lib.crypto_aead_xchacha20poly1305_ietf_encrypt(
            c, ctypes.byref(clen), m, len(m), ad if ad else None, len(ad), None, npub, k)
        assert rc == 0 and clen.value == len(m) + 16
        return c.raw

    def kdf(self, length, subkey_id, ctx: bytes, key) -> bytes:
        out = ctypes.create_string_buffer(length)
        assert self.lib.crypto_kdf_derive_from_key(out, length, subkey_id, ctx, key) == 0
        return out.raw

    def sign_seed(self, seed, msg) -> tuple[bytes, bytes]:
        pk = ctypes.create_string_buffer(32)
        sk = ctypes.create_string_buffer(64)
        assert self.lib.crypto_sign_seed_keypair(pk, sk, seed) == 0
        sig = ctypes.create_string_buffer(64)
        siglen = ctypes.c_ulonglong(0)
        assert self.lib.crypto_sign_detached(sig, ctypes.byref(siglen), msg, len(msg), sk) == 0
        return pk.raw, sig.raw

    def box_seed_keypair(self, seed) -> tuple[bytes, bytes]:
        pk = ctypes.create_string_buffer(32)
        sk = ctypes.create_string_buffer(32)
        assert self.lib.crypto_box_seed_keypair(pk, sk, seed) == 0
        return pk.raw, sk.raw

    def pad(self, data, blocksize) -> bytes:
        maxlen = len(data) + blocksize
        buf = ctypes.create_string_buffer(data, maxlen)
        outlen = ctypes.c_size_t(0)
        assert self.lib.sodium_pad(ctypes.byref(outlen), buf, len(data), blocksize, maxlen) == 0
        return buf.raw[: outlen.value]

    def generichash(self, outlen, msg, key) -> bytes:
        out = ctypes.create_string_buffer(outlen)
        assert self.lib.crypto_generichash(out, outlen, msg, len(msg), key, len(key)) == 0
        return out.raw

    def sha256(self, msg) -> bytes:
        out = ctypes.create_string_buffer(32)
        assert self.lib.crypto_hash_sha256(out, msg, len(msg)) == 0
        return out.raw


try:
    SYS = SystemSodium()
    SYS_NOTE = f"; every vector also recomputed with system libsodium {SYS.version} via ctypes"
    print(f"cross-checking against system libsodium {SYS.version}")
except (OSError, AttributeError) as e:  # pragma: no cover - depends on the machine
    SYS = None
    SYS_NOTE = ""
    print(f"system libsodium not available ({e}); skipping that cross-check")


# ---------------------------------------------------------------------------
# 1. Argon2id (crypto_pwhash, ALG_ARGON2ID13)
# ---------------------------------------------------------------------------

def argon2id() -> None:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    except ImportError:  # older cryptography: fall back to libsodium via PyNaCl
        Argon2id = None

    MIB = 1024 * 1024
    cases = [
        ("correct horse battery staple", fill("argon2id salt 1", 16), 2, 8 * MIB),
        ("lösenord med åäö ÅÄÖ", fill("argon2id salt 2", 16), 3, 16 * MIB),
        ("a", fill("argon2id salt 3", 16), 2, 8 * MIB),
        ("åäö", bytes(range(16)), 3, 8 * MIB),
        ("EvidenceVault passphrase 🔐 2024", bytes(16), 2, 16 * MIB),
    ]
    vectors = []
    for text, salt, ops, mem in cases:
        pw = text.encode("utf-8")
        nacl_key = nb.crypto_pwhash_alg(32, pw, salt, ops, mem, nb.crypto_pwhash_ALG_ARGON2ID13)
        if Argon2id is not None:
            # libsodium: parallelism (lanes) 1, m = memlimit/1024 KiB, t = opslimit,
            # version 0x13, no secret, no associated data.
            key = Argon2id(salt=salt, length=32, iterations=ops, lanes=1,
                           memory_cost=mem // 1024).derive(pw)
            assert key == nacl_key, ("argon2id cryptography vs PyNaCl", text)
        else:
            key = nacl_key
        if SYS:
            assert SYS.pwhash_argon2id13(32, pw, salt, ops, mem) == key
        vectors.append({
            "passphrase": hx(pw),
            "salt": hx(salt),
            "opsLimit": ops,
            "memLimitBytes": mem,
            "outputLength": 32,
            "key": hx(key),
        })
    if Argon2id is not None:
        source = (f"{CRYPTOGRAPHY_OSSL} Argon2id (lanes=1, memory_cost=memLimitBytes/1024 KiB, "
                  f"iterations=opsLimit, v0x13); every vector cross-checked with "
                  f"{PYNACL} nacl.bindings.crypto_pwhash_alg ALG_ARGON2ID13{SYS_NOTE}")
    else:
        source = f"{PYNACL} nacl.bindings.crypto_pwhash_alg ALG_ARGON2ID13{SYS_NOTE}"
    write("argon2id.json", source, vectors)


# ---------------------------------------------------------------------------
# 2. XChaCha20-Poly1305 (IETF)
# ---------------------------------------------------------------------------

def _rotl32(v: int, c: int) -> int:
    return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))


def hchacha20(key: bytes, nonce16: bytes) -> bytes:
    """Pure-Python HChaCha20 (draft-irtf-cfrg-xchacha), for the independent cross-check."""
    s = list(struct.unpack("<4I", b"expand 32-byte k"))
    s += list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl32(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl32(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = _rotl32(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = _rotl32(s[b] ^ s[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xchacha_via_cryptography(key: bytes, nonce: bytes, pt: bytes, ad: bytes) -> bytes:
    subkey = hchacha20(key, nonce[:16])
    return ChaCha20Poly1305(subkey).encrypt(b"\x00" * 4 + nonce[16:], pt, ad)


def xchacha20poly1305() -> None:
    # Sanity: HChaCha20 test vector from draft-irtf-cfrg-xchacha-03 section 2.2.1.
    assert hchacha20(bytes(range(32)), bytes.fromhex("000000090000004a0000000031415927")).hex() == (
        "82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc")

    cases = [
        # (key, nonce, associatedData, plaintext)
        (fill("xchacha key 1", 32), fill("xchacha nonce 1", 24), b"", b""),
        (fill("xchacha key 2", 32), fill("xchacha nonce 2", 24),
         b'{"v":1,"kind":"record"}', b""),
        (fill("xchacha key 3", 32), fill("xchacha nonce 3", 24), b"",
         "Kvitto: 3 st äpplen, 1 påse".encode("utf-8")),
        (fill("xchacha key 4", 32), fill("xchacha nonce 4", 24),
         b"EJrecord|vault-0001|seq=42", bytes(i & 0xFF for i in range(256))),
        (fill("xchacha key 5", 32), fill("xchacha nonce 5", 24),
         fill("xchacha ad 5", 37), fill("xchacha plaintext 5", 300)),
        (bytes(range(0x80, 0xA0)), bytes(range(0x40, 0x58)),
         bytes.fromhex("50515253c0c1c2c3c4c5c6c7"),
         b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip "
         b"for the future, sunscreen would be it."),
    ]
    vectors = []
    for key, nonce, ad, pt in cases:
        ct = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(pt, ad if ad else None, nonce, key)
        assert len(ct) == len(pt) + 16
        assert ct == xchacha_via_cryptography(key, nonce, pt, ad), "xchacha cross-check"
        assert nb.crypto_aead_xchacha20poly1305_ietf_decrypt(ct, ad if ad else None, nonce, key) == pt
        if SYS:
            assert SYS.xchacha_encrypt(pt, ad, nonce, key) == ct
        vectors.append({
            "key": hx(key),
            "nonce": hx(nonce),
            "associatedData": hx(ad),
            "plaintext": hx(pt),
            "ciphertext": hx(ct),
        })
    # The last case is the draft-irtf-cfrg-xchacha-03 A.3.1 example: check the known tag.
    assert vectors[-1]["ciphertext"].endswith("c0875924c1c7987947deafd8780acf49")
    source = (f"{PYNACL} nacl.bindings.crypto_aead_xchacha20poly1305_ietf_encrypt; "
              f"cross-checked with pure-Python HChaCha20 + {CRYPTOGRAPHY_OSSL} "
              f"ChaCha20Poly1305{SYS_NOTE}")
    write("xchacha20poly1305.json", source, vectors)


# ---------------------------------------------------------------------------
# 3. crypto_kdf_derive_from_key (crypto_kdf_blake2b)
# ---------------------------------------------------------------------------

def kdf() -> None:
    mk = fill("kdf master key", 32)
    cases = [
        (mk, 1, "EJrecord", 32),
        (mk, 1, "EJblob__", 32),
        (mk, 1, "EJbname_", 32),
        (mk, 1, "EJsignsd", 32),
        (mk, 1, "EJinboxs", 32),
        (mk, 2**40 + 5, "EJrecord", 32),
        (bytes(range(32)), 1, "EJblob__", 64),
    ]
    vectors = []
    for key, sid, ctx, n in cases:
        ctxb = ctx.encode("ascii")
        assert len(ctxb) == 8
        salt = struct.pack("<Q", sid) + bytes(8)
        person = ctxb + bytes(8)
        sub = hashlib.blake2b(b"", digest_size=n, key=key, salt=salt, person=person).digest()
        # libsodium's keyed BLAKE2b with salt/personal (what crypto_kdf uses internally)
        alt = nacl.hash.blake2b(b"", digest_size=n, key=key, salt=salt, person=person,
                                encoder=nacl.encoding.RawEncoder)
        assert sub == alt, "kdf hashlib vs PyNaCl blake2b salt/person"
        if SYS:
            assert SYS.kdf(n, sid, ctxb, key) == sub
        vectors.append({
            "masterKey": hx(key),
            "subkeyId": sid,
            "context": ctx,
            "subkeyLength": n,
            "subkey": hx(sub),
        })
    source = (f"{HASHLIB} blake2b(key=masterKey, salt=LE64(subkeyId)||0^8, "
              f"person=context||0^8, digest_size=subkeyLength); cross-checked with "
              f"{PYNACL} nacl.hash.blake2b (crypto_generichash_blake2b_salt_personal; "
              f"PyNaCl does not expose crypto_kdf){SYS_NOTE}")
    if SYS:
        source += " (crypto_kdf_derive_from_key)"
    write("kdf.json", source, vectors)


# ---------------------------------------------------------------------------
# 4. Ed25519
# ---------------------------------------------------------------------------

def ed25519() -> None:
    cases = [
        (fill("ed25519 seed 1", 32), b""),
        (fill("ed25519 seed 2", 32), b"hello"),
        (fill("ed25519 seed 3", 32), '{"a":1,"note":"åäö"}'.encode("utf-8")),
        (bytes(32), fill("ed25519 message 4", 300)),
        # RFC 8032 section 7.1, TEST 1 (checked below)
        (bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"), b""),
    ]
    vectors = []
    for seed, msg in cases:
        sk = nacl.signing.SigningKey(seed)
        pk = bytes(sk.verify_key)
        sig = sk.sign(msg).signature
        c_sk = Ed25519PrivateKey.from_private_bytes(seed)
        c_pk = c_sk.public_key().public_bytes(serialization.Encoding.Raw,
                                              serialization.PublicFormat.Raw)
        assert c_pk == pk, "ed25519 public key cross-check"
        assert c_sk.sign(msg) == sig, "ed25519 signature cross-check"
        c_sk.public_key().verify(sig, msg)
        sk.verify_key.verify(msg, sig)
        if SYS:
            assert SYS.sign_seed(seed, msg) == (pk, sig)
        vectors.append({
            "seed": hx(seed),
            "publicKey": hx(pk),
            "message": hx(msg),
            "signature": hx(sig),
        })
    assert vectors[-1]["publicKey"] == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    assert vectors[-1]["signature"] == (
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
    source = (f"{PYNACL} nacl.signing.SigningKey(seed); cross-checked with "
              f"{CRYPTOGRAPHY_OSSL} Ed25519PrivateKey.from_private_bytes(seed){SYS_NOTE}")
    write("ed25519.json", source, vectors)


# ---------------------------------------------------------------------------
# 5. crypto_box_seed_keypair
# ---------------------------------------------------------------------------

def box_seed_keypair() -> None:
    seeds = [fill("box seed 1", 32), fill("box seed 2", 32), bytes(range(32)), bytes(32)]
    vectors = []
    for seed in seeds:
        pk, sk = nb.crypto_box_seed_keypair(seed)
        # libsodium: sk = SHA-512(seed)[0:32]; pk = X25519(sk, basepoint)
        assert sk == hashlib.sha512(seed).digest()[:32], "box sk cross-check"
        c_pk = X25519PrivateKey.from_private_bytes(sk).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        assert c_pk == pk, "box pk cross-check"
        assert nb.crypto_scalarmult_base(sk) == pk
        if SYS:
            assert SYS.box_seed_keypair(seed) == (pk, sk)
        vectors.append({"seed": hx(seed), "publicKey": hx(pk), "secretKey": hx(sk)})
    source = (f"{PYNACL} nacl.bindings.crypto_box_seed_keypair; cross-checked as "
              f"secretKey = {HASHLIB} sha512(seed)[0:32], publicKey = {CRYPTOGRAPHY_OSSL} "
              f"X25519 public key of secretKey{SYS_NOTE}")
    write("box_seed_keypair.json", source, vectors)


# ---------------------------------------------------------------------------
# 6. SHA-256 and the journal hash chain
# ---------------------------------------------------------------------------

def sha256_cryptography(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SHA256())
    h.update(data)
    return h.finalize()


def sha256_checked(data: bytes) -> bytes:
    d = hashlib.sha256(data).digest()
    assert d == sha256_cryptography(data), "sha256 cross-check"
    assert nb.crypto_hash_sha256(data) == d
    if SYS:
        assert SYS.sha256(data) == d
    return d


def sha256() -> None:
    messages = [
        b"",
        b"abc",
        "åäö".encode("utf-8"),
        b"a" * 55,  # longest message that fits one padded block
        b"a" * 64,
        bytes(i & 0xFF for i in range(1000)),
    ]
    vectors = [{"message": hx(m), "digest": hx(sha256_checked(m))} for m in messages]
    assert vectors[0]["digest"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert vectors[1]["digest"] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    source = (f"{HASHLIB} sha256; cross-checked with {CRYPTOGRAPHY_OSSL} hashes.SHA256 and "
              f"{PYNACL} crypto_hash_sha256{SYS_NOTE}")
    write("sha256.json", source, vectors)


def chain() -> None:
    cases = [
        (fill("chain vault 1", 16), ['{"a":1}', '{"b":2}']),
        (bytes(16), ['{"seq":1,"kind":"note","text":"första"}',
                     '{"seq":2,"kind":"note","text":"andra åäö"}']),
        (bytes(range(16)), ['{"a":1}', '{"a":1}', '{}']),
    ]
    vectors = []
    for vault_id, records in cases:
        genesis = sha256_checked(b"\x02" + b"evidence-journal genesis" + vault_id)
        prev = genesis
        leaves, chains = [], []
        for r in records:
            leaf = sha256_checked(b"\x00" + r.encode("utf-8"))
            prev = sha256_checked(b"\x01" + prev + leaf)
            leaves.append(hx(leaf))
            chains.append(hx(prev))
        vectors.append({
            "vaultId": hx(vault_id),
            "records": records,
            "genesis": hx(genesis),
            "leaves": leaves,
            "chains": chains,
        })
    source = (f"{HASHLIB} sha256 (genesis = SHA-256(0x02 || \"evidence-journal genesis\" || vaultId); "
              f"leaf_i = SHA-256(0x00 || UTF-8(record_i)); chain_i = SHA-256(0x01 || chain_(i-1) || leaf_i), "
              f"chain_0 = genesis); cross-checked with {CRYPTOGRAPHY_OSSL} hashes.SHA256 and "
              f"{PYNACL} crypto_hash_sha256{SYS_NOTE}")
    write("chain.json", source, vectors)


# ---------------------------------------------------------------------------
# 7. sodium_pad (ISO/IEC 7816-4)
# ---------------------------------------------------------------------------

def pad_py(data: bytes, block: int) -> bytes:
    """sodium_pad: always append 0x80, then zeros up to the next multiple of block."""
    xpad = block - 1 - (len(data) % block)
    return data + b"\x80" + bytes(xpad)


def pad() -> None:
    block = 256
    inputs = [b"", b"x", fill("pad 255", 255), fill("pad 256", 256), fill("pad 300", 300)]
    vectors = []
    for data in inputs:
        padded = pad_py(data, block)
        assert len(padded) % block == 0 and len(padded) > len(data)
        assert nb.sodium_pad(data, block) == padded, "sodium_pad cross-check"
        assert nb.sodium_unpad(padded, block) == data
        if SYS:
            assert SYS.pad(data, block) == padded
        vectors.append({"blockSize": block, "unpadded": hx(data), "padded": hx(padded)})
    assert [len(bytes.fromhex(v["padded"])) for v in vectors] == [256, 256, 256, 512, 512]
    source = (f"pure Python (Python {sys.version.split()[0]}) ISO/IEC 7816-4 padding; "
              f"cross-checked with {PYNACL} nacl.bindings.sodium_pad{SYS_NOTE}")
    write("pad.json", source, vectors)


# ---------------------------------------------------------------------------
# 8. Keyed BLAKE2b (crypto_generichash)
# ---------------------------------------------------------------------------

def blake2b_keyed() -> None:
    cases = [
        (fill("blake2b key 1", 32), b""),
        (fill("blake2b key 2", 32), b"abc"),
        (bytes(range(32)), "blobbnamn: kvitto_åäö.pdf".encode("utf-8")),
        (fill("blake2b key 4", 32), bytes(i & 0xFF for i in range(256))),
        (fill("blake2b key 5", 32), fill("blake2b message 5", 1000)),
    ]
    vectors = []
    for key, msg in cases:
        d = hashlib.blake2b(msg, key=key, digest_size=32).digest()
        assert d == nb.crypto_generichash_blake2b_salt_personal(msg, digest_size=32, key=key)
        assert d == nacl.hash.blake2b(msg, digest_size=32, key=key, encoder=nacl.encoding.RawEncoder)
        if SYS:
            assert SYS.generichash(32, msg, key) == d
        vectors.append({"key": hx(key), "message": hx(msg), "outputLength": 32, "digest": hx(d)})
    source = (f"{HASHLIB} blake2b(key=key, digest_size=32); cross-checked with {PYNACL} "
              f"crypto_generichash_blake2b_salt_personal{SYS_NOTE}")
    write("blake2b_keyed.json", source, vectors)


# ---------------------------------------------------------------------------
# 5b. crypto_box_seal (inbox items), made deterministic by a fixed ephemeral key pair
# ---------------------------------------------------------------------------

def box_seal() -> None:
    cases = [
        (fill("box seed 1", 32), fill("ephemeral 1", 32), b""),
        (fill("box seed 1", 32), fill("ephemeral 2", 32), '{"text":"Han st\u00e5r utanf\u00f6r"}'.encode()),
        (bytes(range(32)), fill("ephemeral 3", 32), fill("note 3", 1000)),
    ]
    vectors = []
    for seed, ephemeral_seed, message in cases:
        pk, sk = nb.crypto_box_seed_keypair(seed)
        epk, esk = nb.crypto_box_seed_keypair(ephemeral_seed)
        # crypto_box_seal: epk || crypto_box(m, nonce = BLAKE2b-192(epk || pk), pk, esk)
        nonce = hashlib.blake2b(epk + pk, digest_size=24).digest()
        sealed = epk + nb.crypto_box(message, nonce, pk, esk)
        assert nb.crypto_box_seal_open(sealed, pk, sk) == message, "box seal cross-check"
        vectors.append({"seed": hx(seed), "message": hx(message), "sealed": hx(sealed)})
    source = (f"{PYNACL} nacl.bindings.crypto_box with nonce = {HASHLIB} blake2b(epk || pk, 24) and a fixed "
              f"ephemeral key pair; each opened by nacl.bindings.crypto_box_seal_open")
    write("box_seal.json", source, vectors)


def main() -> None:
    argon2id()
    xchacha20poly1305()
    kdf()
    ed25519()
    box_seed_keypair()
    box_seal()
    sha256()
    chain()
    pad()
    blake2b_keyed()


if __name__ == "__main__":
    main()
