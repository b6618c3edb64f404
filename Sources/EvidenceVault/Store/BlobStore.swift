import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What storing a file produced: where its blob is and what the record must say about it.
struct StoredBlob: Equatable {
  /// The blob's name: hex of keyed BLAKE2b over the SHA-256 digest.
  let name: String
  let sha256: [UInt8]
  let size: Int64
  /// The first bytes of the original, for the media type and EXIF (kept in memory only).
  let prefix: [UInt8]
  let modifiedAt: Date
  /// True when this call created the blob; false when an identical blob was already there.
  let isNew: Bool
}

/// How a blob fails its check.
public enum BlobFault: Equatable, Sendable {
  /// No file for the blob.
  case missing
  /// The stream ends before its final chunk: bytes were cut off.
  case truncated
  /// A chunk does not authenticate, or bytes follow the final chunk.
  case altered
  /// It decrypts, but to other bytes than the record's SHA-256: the file of another exhibit, or of none.
  case contentMismatch(sha256: String)
  /// Its file could not be read (an I/O error, no permission): whether it is intact is unknown.
  case unreadable(reason: String)
}

/// The attachment files under `blobs/`: `crypto_secretstream` in 64 KiB chunks, streamed in and out in constant memory.
///
/// A blob file is `header (24 bytes) ‖ sealed chunks`; every chunk but the last holds 64 KiB of plaintext, the last
/// holds the rest (possibly nothing) and carries `TAG_FINAL`. Names are keyed BLAKE2b of the plaintext's SHA-256,
/// so the same file attached twice is stored once and names reveal nothing without the key.
struct BlobStore {
  let folder: URL
  /// Chunks read, encrypted and written per system call (1 MiB of plaintext).
  static let batchChunkCount = 16

  /// `blobs/ab/abcdef…`.
  func url(of name: String) -> URL {
    folder.appendingPathComponent(String(name.prefix(2))).appendingPathComponent(name)
  }

  /// Encrypts the file at `source` into a blob, durably, and returns what the record needs.
  ///
  /// The file is read once: hashed and encrypted chunk by chunk into a temporary file in `blobs/`, which is
  /// fsynced and renamed to its name only when the whole file was read unchanged.
  /// - Throws: `invalidInput` for a missing, unreadable or changing file or a folder; `diskFull`, `fileSystem`.
  func store(
    fileAt source: URL, key: borrowing SecretBytes, nameKey: borrowing SecretBytes,
    progress: (Int64, Int64) -> Void
  ) throws(VaultError) -> StoredBlob {
    // O_NONBLOCK so that a FIFO or a device cannot make us wait forever before we see it is not a file.
    let input = open(source.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard input >= 0 else {
      let code = errno
      throw VaultError(
        .invalidInput,
        code == ENOENT
          ? "There is no file \(source.path)." : "Cannot read \(source.path): \(String(cString: strerror(code))).",
        hint: "Check the file's name and where it is.")
    }
    defer { close(input) }
    var before = stat()
    guard fstat(input, &before) == 0 else { throw .fileSystem("read", source.path, errno: errno) }
    guard before.st_mode & S_IFMT == S_IFREG else {
      throw VaultError(
        .invalidInput, "\(source.path) is not a file (it is a folder, a pipe or a device).",
        hint: "Attach the files inside it one by one.")
    }
    _ = fcntl(input, F_SETFL, fcntl(input, F_GETFL) & ~O_NONBLOCK)
    let total = Int64(before.st_size)

    return try seal(
      total: total, modifiedAt: modifiedAt(before), key: key, nameKey: nameKey, progress: progress,
      fill: { (buffer: inout [UInt8]) throws(VaultError) -> Int in
        try Self.readFully(input, into: &buffer, path: source.path)
      },
      finished: { (done: Int64) throws(VaultError) in
        var after = stat()
        guard fstat(input, &after) == 0, after.st_size == before.st_size, done == Int64(before.st_size),
          after.st_mtim.tv_sec == before.st_mtim.tv_sec, after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
        else {
          throw VaultError(
            .invalidInput, "\(source.path) changed while it was being read, so it was not attached.",
            hint: "Wait until whatever is writing it has finished (a download, a recording), then attach it again.")
        }
      })
  }

  /// Encrypts `bytes` (an MMS picture, an e-mail attachment) into a blob, durably.
  func store(
    bytes: [UInt8], key: borrowing SecretBytes, nameKey: borrowing SecretBytes, modifiedAt: Date
  ) throws(VaultError) -> StoredBlob {
    var offset = 0
    return try seal(
      total: Int64(bytes.count), modifiedAt: modifiedAt, key: key, nameKey: nameKey, progress: { _, _ in },
      fill: { (buffer: inout [UInt8]) throws(VaultError) -> Int in
        let count = min(buffer.count, bytes.count - offset)
        buffer.replaceSubrange(0..<count, with: bytes[offset..<(offset + count)])
        offset += count
        return count
      },
      finished: { _ throws(VaultError) in })
  }

  /// Encrypts bytes that arrive in pieces (a file inflating out of a zip export) into a blob, durably, in constant
  /// memory: `produce` hands every piece, in order, to the function it is given.
  ///
  /// Nothing is allocated from what the source claims about its size: the pieces are sealed a batch at a time as
  /// they come. If `produce` throws, the partial blob is removed and nothing is stored.
  /// - Throws: what `produce` throws; `diskFull`, `fileSystem`.
  func store(
    modifiedAt: Date, key: borrowing SecretBytes, nameKey: borrowing SecretBytes,
    writing produce: ((UnsafeRawBufferPointer) throws(VaultError) -> Void) throws(VaultError) -> Void
  ) throws(VaultError) -> StoredBlob {
    try DurableFiles.makeFolder(folder)
    let temporary = folder.appendingPathComponent(
      ".incoming-\(Hex.encode(Sodium.randomBytes(6)))\(DurableFiles.temporaryMarker)\(getpid())")
    let output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .fileSystem("create", temporary.path, errno: errno) }
    var keepTemporary = false
    defer {
      close(output)
      if !keepTemporary { unlink(temporary.path) }  // a partial blob that nothing names
    }
    fchmod(output, DurableFiles.fileMode)

    let hasher = FastSHA256()
    let encryptor = SecretStream.Encryptor(key: key)
    try DurableFiles.writeAll(output, encryptor.header, path: temporary.path)
    let chunk = SecretStream.chunkByteCount
    var batch = [UInt8](repeating: 0, count: Self.batchChunkCount * chunk)
    var sealed = [UInt8](repeating: 0, count: Self.batchChunkCount * SecretStream.sealedChunkByteCount)
    var filled = 0
    var prefix: [UInt8] = []
    var done: Int64 = 0

    // Seals the batch; only the last batch ends with the final chunk (which may be full, or empty for no bytes).
    func seal(isLast: Bool) throws(VaultError) {
      let sealedCount = batch.withUnsafeBytes { plain in
        sealed.withUnsafeMutableBytes { out in
          hasher.update(UnsafeRawBufferPointer(rebasing: plain[..<filled]))
          var written = 0
          var offset = 0
          repeat {
            let length = min(chunk, filled - offset)
            written += encryptor.push(
              UnsafeRawBufferPointer(rebasing: plain[offset..<(offset + length)]),
              isFinal: isLast && offset + length == filled,
              into: UnsafeMutableRawBufferPointer(rebasing: out[written...]))
            offset += length
          } while offset < filled
          return written
        }
      }
      if prefix.count < ExifReader.prefixByteCount {
        prefix += batch[..<min(filled, ExifReader.prefixByteCount - prefix.count)]
      }
      try DurableFiles.writeAll(output, sealed[..<sealedCount], path: temporary.path)
      done += Int64(filled)
      filled = 0
    }

    try produce { (piece: UnsafeRawBufferPointer) throws(VaultError) in
      var offset = 0
      while offset < piece.count {
        // A full batch is sealed only once more bytes come, so that the last batch is known to be the last.
        if filled == batch.count { try seal(isLast: false) }
        let count = min(batch.count - filled, piece.count - offset)
        batch.withUnsafeMutableBytes { buffer in
          UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + count)])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: piece[offset..<(offset + count)]))
        }
        filled += count
        offset += count
      }
    }
    try seal(isLast: true)
    try DurableFiles.sync(output, path: temporary.path)
    let blob = try settle(
      temporary, sha256: hasher.finish(), size: done, prefix: prefix, modifiedAt: modifiedAt, key: key,
      nameKey: nameKey)
    keepTemporary = blob.isNew
    return blob
  }

  private func modifiedAt(_ info: stat) -> Date {
    Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
  }

  /// The common part: reads plaintext through `fill` into a temporary blob, hashing and encrypting it, checks
  /// the source with `finished`, fsyncs, and renames the blob to its name (or keeps an identical existing one).
  private func seal(
    total: Int64, modifiedAt: Date, key: borrowing SecretBytes, nameKey: borrowing SecretBytes,
    progress: (Int64, Int64) -> Void, fill: (inout [UInt8]) throws(VaultError) -> Int,
    finished: (Int64) throws(VaultError) -> Void
  ) throws(VaultError) -> StoredBlob {
    try DurableFiles.makeFolder(folder)
    let temporary = folder.appendingPathComponent(
      ".incoming-\(Hex.encode(Sodium.randomBytes(6)))\(DurableFiles.temporaryMarker)\(getpid())")
    let output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .fileSystem("create", temporary.path, errno: errno) }
    var keepTemporary = false
    defer {
      close(output)
      if !keepTemporary { unlink(temporary.path) }  // a partial blob that nothing names
    }
    fchmod(output, DurableFiles.fileMode)

    let hasher = FastSHA256()
    let encryptor = SecretStream.Encryptor(key: key)
    try DurableFiles.writeAll(output, encryptor.header, path: temporary.path)
    // Read and write a batch of chunks at a time; hash each batch on a second core while this one encrypts it.
    let chunk = SecretStream.chunkByteCount
    // Buffers of whole chunks, no more than the expected size needs (an MMS picture is a few dozen KiB, a batch
    // 1 MiB): a file that turns out longer is read on in batches of this size, with the same chunks.
    let expectedChunks = max(1, (total + Int64(chunk) - 1) / Int64(chunk))
    let batchChunks = Int(min(Int64(Self.batchChunkCount), expectedChunks))
    var prefix: [UInt8] = []
    var current = [UInt8](repeating: 0, count: batchChunks * chunk)
    var next = [UInt8](repeating: 0, count: batchChunks * chunk)
    var sealed = [UInt8](repeating: 0, count: batchChunks * SecretStream.sealedChunkByteCount)
    var currentCount = try fill(&current)
    var done: Int64 = 0
    while true {
      let nextCount = currentCount == current.count ? try fill(&next) : 0
      let isLastBatch = nextCount == 0
      let sealedCount = current.withUnsafeBytes { plain in
        sealed.withUnsafeMutableBytes { out in
          let batch = UncheckedSendable(UnsafeRawBufferPointer(rebasing: plain[..<currentCount]))
          let sharedHasher = UncheckedSendable(hasher)
          let hashing = DispatchGroup()
          DispatchQueue.global().async(group: hashing) { sharedHasher.value.update(batch.value) }
          var written = 0
          var offset = 0
          repeat {
            let length = min(chunk, currentCount - offset)
            let isFinal = isLastBatch && offset + length == currentCount
            written += encryptor.push(
              UnsafeRawBufferPointer(rebasing: plain[offset..<(offset + length)]), isFinal: isFinal,
              into: UnsafeMutableRawBufferPointer(rebasing: out[written...]))
            offset += length
          } while offset < currentCount
          hashing.wait()
          return written
        }
      }
      if prefix.count < ExifReader.prefixByteCount {
        prefix += current[..<min(currentCount, ExifReader.prefixByteCount - prefix.count)]
      }
      try DurableFiles.writeAll(output, sealed[..<sealedCount], path: temporary.path)
      done += Int64(currentCount)
      progress(done, total)
      if isLastBatch { break }
      swap(&current, &next)
      currentCount = nextCount
    }
    try finished(done)
    try DurableFiles.sync(output, path: temporary.path)

    let blob = try settle(
      temporary, sha256: hasher.finish(), size: done, prefix: prefix, modifiedAt: modifiedAt, key: key,
      nameKey: nameKey)
    keepTemporary = blob.isNew
    return blob
  }

  /// Gives a sealed, fsynced temporary blob its name (or keeps an identical intact blob already there).
  private func settle(
    _ temporary: URL, sha256: [UInt8], size done: Int64, prefix: [UInt8], modifiedAt: Date,
    key: borrowing SecretBytes, nameKey: borrowing SecretBytes
  ) throws(VaultError) -> StoredBlob {
    let name = Hex.encode(KeyedBLAKE2b.hash(sha256, key: nameKey))
    let destination = url(of: name)
    try DurableFiles.makeFolder(destination.deletingLastPathComponent())
    if FileManager.default.fileExists(atPath: destination.path),
      check(name, sha256: Hex.encode(sha256), size: done, key: key) == nil  // an unreadable one is replaced
    {
      // The same file is already in the vault, intact: keep that blob; the new copy is not needed.
      return StoredBlob(
        name: name, sha256: sha256, size: done, prefix: prefix, modifiedAt: modifiedAt, isNew: false)
    }
    // A damaged blob of the same content is replaced by this intact one (rename is atomic; no bytes of the
    // damaged one are worth more than an intact copy of the same file).
    guard rename(temporary.path, destination.path) == 0 else {
      throw .fileSystem("store the attachment as", destination.path, errno: errno)
    }
    try DurableFiles.syncFolder(destination.deletingLastPathComponent())
    return StoredBlob(name: name, sha256: sha256, size: done, prefix: prefix, modifiedAt: modifiedAt, isNew: true)
  }

  /// The size of the blob of a `plaintextSize`-byte file: the header, full chunks, and a final chunk that holds
  /// the rest (a file of whole chunks ends with a full final chunk; an empty file has one empty final chunk).
  static func sealedSize(plaintextSize: Int64) -> Int64 {
    let chunk = Int64(SecretStream.chunkByteCount)
    let overhead = Int64(SecretStream.overheadByteCount)
    let chunks = plaintextSize == 0 ? 1 : (plaintextSize + chunk - 1) / chunk
    return Int64(SecretStream.headerByteCount) + plaintextSize + chunks * overhead
  }

  /// Checks a blob end to end: present, every chunk authentic, final tag then end of file, SHA-256 as recorded.
  /// A file that cannot be read is `.unreadable`, never intact.
  /// - Returns: nil when intact.
  func check(_ name: String, sha256: String, size: Int64, key: borrowing SecretBytes) -> BlobFault? {
    do throws(BlobDecryptError) {
      let digest = try decrypt(name, expectedSize: size, key: key) { _ in }
      return Hex.encode(digest) == sha256 ? nil : .contentMismatch(sha256: Hex.encode(digest))
    } catch {
      switch error {
      case .blob(let fault): return fault
      case .vault(let failure): return .unreadable(reason: failure.message)
      }
    }
  }

  /// Decrypts a blob chunk by chunk, handing each plaintext chunk to `sink`; returns the plaintext's SHA-256.
  /// Throws `.blob` for a blob that is missing, cut off or altered, and `.vault` for a file that cannot be read or a failure of `sink`.
  ///
  /// `expectedSize` (the recorded plaintext size, when known) tells a chunk cut off at the end of the file
  /// (the file is shorter than it should be) from an altered one.
  /// With `hashing` false (a change of keys, which only re-encrypts), no SHA-256 is computed and `[]` is returned.
  func decrypt(
    _ name: String, expectedSize: Int64?, key: borrowing SecretBytes, hashing: Bool = true,
    sink: (UnsafeRawBufferPointer) throws(VaultError) -> Void
  ) throws(BlobDecryptError) -> [UInt8] {
    let path = url(of: name).path
    let input = open(path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw errno == ENOENT ? .blob(.missing) : .vault(.fileSystem("read", path, errno: errno))
    }
    defer { close(input) }
    var info = stat()
    let fileSize = fstat(input, &info) == 0 ? Int64(info.st_size) : 0
    let isShort = expectedSize.map { fileSize < Self.sealedSize(plaintextSize: $0) } ?? false
    return try Self.decryptStream(from: input, path: path, isShort: isShort, key: key, hashing: hashing, sink: sink)
  }

  /// Decrypts the secretstream that starts at `input`'s current offset and runs to its end (a blob, or the file
  /// part of an inbox item) chunk by chunk, handing each plaintext batch to `sink`; returns its SHA-256. Demands
  /// `TAG_FINAL` on the last chunk and end of file right after it. `isShort` (the file is shorter than its record
  /// says) turns an unauthentic last chunk into `.truncated`. With `hashing` false, returns `[]`.
  static func decryptStream(
    from input: Int32, path: String, isShort: Bool, key: borrowing SecretBytes, hashing: Bool = true,
    sink: (UnsafeRawBufferPointer) throws(VaultError) -> Void
  ) throws(BlobDecryptError) -> [UInt8] {
    var header = [UInt8](repeating: 0, count: SecretStream.headerByteCount)
    let headerCount: Int
    do { headerCount = try Self.readFully(input, into: &header, path: path) } catch { throw .vault(error) }
    guard headerCount == header.count else { throw .blob(.truncated) }
    let decryptor = try Self.decryptor(header: header, key: key)
    let computesHash = hashing
    let hasher = FastSHA256()
    // Read a batch of chunks at a time; hash each decrypted batch on a second core while `sink` writes it.
    let sealedChunk = SecretStream.sealedChunkByteCount
    var sealed = [UInt8](repeating: 0, count: Self.batchChunkCount * sealedChunk)
    var plain = [UInt8](repeating: 0, count: Self.batchChunkCount * SecretStream.chunkByteCount)
    while true {
      let count: Int
      do { count = try Self.readFully(input, into: &sealed, path: path) } catch { throw .vault(error) }
      guard count > 0 else { throw .blob(.truncated) }  // the stream ended without its final chunk
      var offset = 0
      var plainCount = 0
      var sawFinal = false
      while offset < count {
        let length = min(sealedChunk, count - offset)
        let opened: (count: Int, isFinal: Bool)
        do {
          opened = try decryptor.pull(sealed, range: offset..<(offset + length), into: &plain, at: plainCount)
        } catch {
          // A last chunk that does not authenticate in a file shorter than its record says was cut off.
          throw .blob(isShort && length < sealedChunk ? .truncated : .altered)
        }
        plainCount += opened.count
        offset += length
        if opened.isFinal {
          sawFinal = true
          break
        }
        if length < sealedChunk { throw .blob(.truncated) }  // a short chunk that is not the final one
      }
      if sawFinal && offset < count { throw .blob(.altered) }  // bytes after the final chunk
      let sinkFailure: VaultError? = plain.withUnsafeBytes { buffer in
        let batch = UncheckedSendable(UnsafeRawBufferPointer(rebasing: buffer[..<plainCount]))
        let sharedHasher = UncheckedSendable(hasher)
        let hashing = DispatchGroup()
        if computesHash { DispatchQueue.global().async(group: hashing) { sharedHasher.value.update(batch.value) } }
        defer { hashing.wait() }
        do throws(VaultError) {
          try sink(batch.value)
          return nil
        } catch {
          return error
        }
      }
      if let sinkFailure { throw .vault(sinkFailure) }
      if sawFinal {
        var extra: UInt8 = 0
        guard read(input, &extra, 1) == 0 else { throw .blob(.altered) }  // bytes after the final chunk
        return computesHash ? hasher.finish() : []
      }
    }
  }

  private static func decryptor(
    header: [UInt8], key: borrowing SecretBytes
  ) throws(BlobDecryptError) -> SecretStream.Decryptor {
    do { return try SecretStream.Decryptor(header: header, key: key) } catch { throw .blob(.altered) }
  }

  /// The names of every blob file in `blobs/`, and leftovers of interrupted attaches.
  func inventory() -> (blobs: [String], leftovers: [URL]) {
    var blobs: [String] = []
    var leftovers: [URL] = []
    let manager = FileManager.default
    for shard in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] {
      let shardURL = folder.appendingPathComponent(shard)
      var isFolder: ObjCBool = false
      _ = manager.fileExists(atPath: shardURL.path, isDirectory: &isFolder)
      if !isFolder.boolValue || shard.count != 2 || Hex.decode(shard, byteCount: 1) == nil {
        leftovers.append(shardURL)  // a partial attach, or anything else that is not a blob folder
        continue
      }
      for name in (try? manager.contentsOfDirectory(atPath: shardURL.path)) ?? [] {
        if name.count == 64, name.hasPrefix(shard), Hex.decode(name, byteCount: 32) != nil {
          blobs.append(name)
        } else {
          leftovers.append(shardURL.appendingPathComponent(name))
        }
      }
    }
    return (blobs.sorted(), leftovers.sorted { $0.path < $1.path })
  }

  /// Reads until `buffer` is full or the file ends; returns how many bytes were read.
  static func readFully(_ descriptor: Int32, into buffer: inout [UInt8], path: String) throws(VaultError) -> Int {
    var filled = 0
    while filled < buffer.count {
      let count = buffer.withUnsafeMutableBytes { bytes in
        read(descriptor, bytes.baseAddress.map { $0 + filled }, bytes.count - filled)
      }
      if count < 0 {
        if errno == EINTR { continue }
        throw .fileSystem("read", path, errno: errno)
      }
      if count == 0 { break }
      filled += count
    }
    return filled
  }
}

/// Why decrypting a blob stopped: the blob's own fault, or a failure to read or write files.
enum BlobDecryptError: Error {
  case blob(BlobFault)
  case vault(VaultError)
}

/// Hands a value to another thread where the code guarantees, by waiting, that the two never use it at once.
struct UncheckedSendable<Value>: @unchecked Sendable {
  let value: Value
  init(_ value: Value) { self.value = value }
}
