internal import CSodium

/// Key material or a passphrase, held in libsodium's guarded memory and wiped when it goes away.
///
/// The bytes live in `sodium_malloc` memory (guard pages, never swapped where the system allows),
/// are never copied into ordinary Swift values by this type, and are zeroed by `sodium_free`
/// in `deinit`. The type cannot be copied, so there is exactly one owner of each secret.
/// It has no `description`: secrets never reach logs or error messages.
public struct SecretBytes: ~Copyable, @unchecked Sendable {
  private let pointer: UnsafeMutableRawPointer
  /// How many secret bytes this holds (zero for an empty passphrase).
  public let count: Int

  /// Makes `count` zeroed bytes of guarded memory.
  public init(zeroedByteCount count: Int) {
    precondition(count >= 0, "SecretBytes cannot have a negative size")
    Sodium.ensureInitialised()
    // One byte is always allocated so that an empty secret still has an address to free.
    guard let pointer = sodium_malloc(max(count, 1)) else {
      // sodium_malloc returns NULL only when the system is out of memory.
      fatalError("Out of memory for key material")
    }
    sodium_memzero(pointer, max(count, 1))
    self.pointer = pointer
    self.count = count
  }

  /// Makes `byteCount` bytes from libsodium's random generator.
  public init(randomByteCount count: Int) {
    self.init(zeroedByteCount: count)
    randombytes_buf(pointer, count)
  }

  /// Copies `bytes` into guarded memory. The caller remains responsible for wiping its own copy.
  public init(copying bytes: UnsafeRawBufferPointer) {
    self.init(zeroedByteCount: bytes.count)
    if let base = bytes.baseAddress, bytes.count > 0 {
      pointer.copyMemory(from: base, byteCount: bytes.count)
    }
  }

  deinit {
    sodium_free(pointer)  // sodium_free zeroes the memory before releasing it.
  }

  /// Lends the bytes for reading.
  public borrowing func withUnsafeBytes<R: ~Copyable, E: Error>(
    _ body: (UnsafeRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeRawBufferPointer(start: pointer, count: count))
  }

  /// Lends the bytes for writing (to fill a freshly made secret).
  public borrowing func withUnsafeMutableBytes<R: ~Copyable, E: Error>(
    _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
  ) throws(E) -> R {
    try body(UnsafeMutableRawBufferPointer(start: pointer, count: count))
  }

  /// Compares two secrets in constant time.
  public borrowing func isEqual(to other: borrowing SecretBytes) -> Bool {
    guard count == other.count else { return false }
    if count == 0 { return true }
    let mine = pointer
    let count = count
    return other.withUnsafeBytes { otherBytes in
      sodium_memcmp(mine, otherBytes.baseAddress ?? UnsafeRawPointer(Sodium.emptyBuffer), count) == 0
    }
  }

  /// A copy in fresh guarded memory (for when two owners are truly needed).
  public borrowing func duplicate() -> SecretBytes {
    withUnsafeBytes { SecretBytes(copying: $0) }
  }
}
