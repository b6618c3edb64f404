import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why an inbox item cannot be taken in. Every case but `unreadable` sends the item to `quarantine/`.
enum InboxItemFault: Error, Equatable {
  /// Not an inbox item: too short, wrong magic, a kind no version defines, a size beyond the caps.
  case malformed(String)
  /// The sealed part does not open with this vault's inbox key, or a chunk of the file does not authenticate,
  /// is missing its final tag, or has bytes after it.
  case doesNotOpen
  /// It opens, but what it says is not what a note or a file item holds.
  case badContent(String)
  /// The file could not be read (an I/O error): it stays where it is.
  case unreadable(VaultError)
}

/// Reads inbox items with the secret half of the inbox key pair, which only an unlocked vault has.
///
/// Everything read from an item is checked against the caps in `InboxItem` before it is used.
struct InboxReader {
  let folder: URL

  /// The names of finished items, sorted: the order they were written in.
  func itemNames() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter(InboxItem.isItemName).sorted()
  }

  /// The item's kind, from its first five bytes.
  func kind(of name: String) throws(InboxItemFault) -> InboxItem.Kind {
    let prefix: [UInt8]
    do {
      prefix = try DurableFiles.read(folder.appendingPathComponent(name), range: 0..<InboxItem.prefixByteCount)
    } catch { throw .unreadable(error) }
    guard prefix.count == InboxItem.prefixByteCount, Array(prefix[..<4]) == InboxItem.magic else {
      throw .malformed("it does not start as an inbox item")
    }
    guard let kind = InboxItem.Kind(rawValue: prefix[4]) else { throw .malformed("its kind \(prefix[4]) is unknown") }
    return kind
  }

  /// Opens a kind 1 item; returns the note and the SHA-256 of the item file.
  func openNote(_ name: String, keys: borrowing InboxKeyPair) throws(InboxItemFault) -> (InboxItem.Note, [UInt8]) {
    let url = folder.appendingPathComponent(name)
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    guard info.st_size <= InboxItem.maximumNoteItemByteCount else { throw .malformed("it is too large") }
    let bytes: [UInt8]
    do { bytes = try DurableFiles.read(url, limit: InboxItem.maximumNoteItemByteCount) } catch {
      throw .unreadable(error)
    }
    guard bytes.count > InboxItem.prefixByteCount, Array(bytes[..<4]) == InboxItem.magic,
      bytes[4] == InboxItem.Kind.quickNote.rawValue
    else { throw .malformed("it is not a quick note") }
    let json: [UInt8]
    do {
      json = try keys.open(bytes, from: InboxItem.prefixByteCount)
    } catch { throw .doesNotOpen }
    guard let note = try? JSONDecoder().decode(InboxItem.Note.self, from: Data(json)) else {
      throw .badContent("its note is not valid")
    }
    guard WhenFormatter.parseRFC3339UTC(note.notedAt) != nil, Self.isUUID(note.id),
      note.text.utf8.count <= InboxItem.maximumTextByteCount,
      !note.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || note.files > 0,
      (0...InboxItem.maximumFileCount).contains(note.files), note.timeZone.utf8.count <= 64
    else { throw .badContent("a field of its note is out of range") }
    return (note, SHA256.hash(bytes))
  }

  /// Opens a kind 3 item; returns the attempt it records and the SHA-256 of the item file.
  func openFailedUnlock(
    _ name: String, keys: borrowing InboxKeyPair
  ) throws(InboxItemFault) -> (FailedUnlockLog.Item, [UInt8]) {
    let url = folder.appendingPathComponent(name)
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    guard info.st_size <= FailedUnlockLog.maximumItemByteCount else { throw .malformed("it is too large") }
    let bytes: [UInt8]
    do { bytes = try DurableFiles.read(url, limit: FailedUnlockLog.maximumItemByteCount) } catch {
      throw .unreadable(error)
    }
    guard bytes.count > InboxItem.prefixByteCount, Array(bytes[..<4]) == InboxItem.magic,
      bytes[4] == InboxItem.Kind.failedUnlock.rawValue
    else { throw .malformed("it is not a record of a failed unlock") }
    let json: [UInt8]
    do {
      json = try keys.open(bytes, from: InboxItem.prefixByteCount)
    } catch { throw .doesNotOpen }
    guard let item = try? JSONDecoder().decode(FailedUnlockLog.Item.self, from: Data(json)) else {
      throw .badContent("its record of a failed unlock is not valid")
    }
    guard FailedUnlockLog.isValid(item) else { throw .badContent("a field of its record is out of range") }
    return (item, SHA256.hash(bytes))
  }

  /// Opens a kind 2 item.
  func openDraft(_ name: String, keys: borrowing InboxKeyPair) throws(InboxItemFault) -> Draft.Sealed {
    let url = folder.appendingPathComponent(name)
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    guard info.st_size <= Draft.maximumItemByteCount else { throw .malformed("it is too large") }
    let bytes: [UInt8]
    do { bytes = try DurableFiles.read(url, limit: Draft.maximumItemByteCount) } catch { throw .unreadable(error) }
    guard bytes.count > InboxItem.prefixByteCount, Array(bytes[..<4]) == InboxItem.magic,
      bytes[4] == InboxItem.Kind.draft.rawValue
    else { throw .malformed("it is not a draft") }
    let json: [UInt8]
    do {
      json = try keys.open(bytes, from: InboxItem.prefixByteCount)
    } catch { throw .doesNotOpen }
    guard let draft = try? JSONDecoder().decode(Draft.Sealed.self, from: Data(json)) else {
      throw .badContent("its draft is not valid")
    }
    guard Draft.isValid(draft) else { throw .badContent("a field of its draft is out of range") }
    return draft
  }

  /// Opens the sealed header of a kind 4 item (not the file itself).
  func openFileHeader(_ name: String, keys: borrowing InboxKeyPair) throws(InboxItemFault) -> InboxItem.File {
    let url = folder.appendingPathComponent(name)
    let input = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    defer { close(input) }
    var header: InboxItem.File?
    try readFileHeader(input, path: url.path, keys: keys) { opened, _ throws(InboxItemFault) in header = opened }
    guard let header else { preconditionFailure("readFileHeader calls its body or throws") }
    return header
  }

  /// Decrypts a kind 4 item's file, handing its plaintext to `sink` piece by piece; returns the SHA-256 of the
  /// whole item file (its id in the journal).
  func streamFile(
    _ name: String, keys: borrowing InboxKeyPair, sink: (UnsafeRawBufferPointer) throws(VaultError) -> Void
  ) throws(InboxItemFault) -> [UInt8] {
    let url = folder.appendingPathComponent(name)
    let input = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    defer { close(input) }
    try readFileHeader(input, path: url.path, keys: keys) { _, streamKey throws(InboxItemFault) in
      do throws(BlobDecryptError) {
        _ = try BlobStore.decryptStream(from: input, path: url.path, isShort: false, key: streamKey, sink: sink)
      } catch {
        switch error {
        case .blob(.unreadable(let reason)): throw .unreadable(VaultError(.fileSystem, reason))
        case .blob: throw .doesNotOpen
        case .vault(let failure): throw .unreadable(failure)
        }
      }
    }
    return try Self.digest(of: url)
  }

  /// Reads `"EJIN" ‖ 0x04 ‖ u32be(n) ‖ sealed header` from `input`, leaving it at the stream's start, and hands
  /// the header and the stream key (in guarded memory) to `body`.
  private func readFileHeader(
    _ input: Int32, path: String, keys: borrowing InboxKeyPair,
    body: (InboxItem.File, borrowing SecretBytes) throws(InboxItemFault) -> Void
  ) throws(InboxItemFault) {
    var prefix = [UInt8](repeating: 0, count: InboxItem.prefixByteCount + 4)
    let count: Int
    do { count = try BlobStore.readFully(input, into: &prefix, path: path) } catch { throw .unreadable(error) }
    guard count == prefix.count, Array(prefix[..<4]) == InboxItem.magic, prefix[4] == InboxItem.Kind.file.rawValue
    else { throw .malformed("it is not a file item") }
    let length = prefix[5...].reduce(0) { $0 << 8 | Int($1) }
    guard length > InboxKey.sealOverheadByteCount + SecretStream.keyByteCount,
      length <= InboxItem.maximumFileHeaderByteCount
    else { throw .malformed("its header length \(length) is impossible") }
    var sealed = [UInt8](repeating: 0, count: length)
    let sealedCount: Int
    do { sealedCount = try BlobStore.readFully(input, into: &sealed, path: path) } catch { throw .unreadable(error) }
    guard sealedCount == length else { throw .malformed("it ends inside its header") }
    let opened = try Self.openSealed(sealed, keys: keys)
    let keyCount = SecretStream.keyByteCount
    let streamKey = SecretBytes(zeroedByteCount: keyCount)
    streamKey.withUnsafeMutableBytes { out in
      opened.withUnsafeBytes { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[..<keyCount])) }
    }
    let json = opened.withUnsafeBytes { Array($0[keyCount...]) }
    guard let header = try? JSONDecoder().decode(InboxItem.File.self, from: Data(json)) else {
      throw .badContent("its header is not valid")
    }
    guard Self.isUUID(header.note), (0..<InboxItem.maximumFileCount).contains(header.position),
      WhenFormatter.parseRFC3339UTC(header.notedAt) != nil, WhenFormatter.parseRFC3339UTC(header.modifiedAt) != nil,
      !header.name.isEmpty, header.name.utf8.count <= InboxItem.maximumFileNameByteCount
    else { throw .badContent("a field of its header is out of range") }
    try body(header, streamKey)
  }

  private static func openSealed(_ sealed: [UInt8], keys: borrowing InboxKeyPair) throws(InboxItemFault) -> SecretBytes
  {
    do { return try keys.openSecret(sealed) } catch { throw .doesNotOpen }
  }

  /// SHA-256 of a whole item file, read in pieces.
  static func digest(of url: URL) throws(InboxItemFault) -> [UInt8] {
    let input = Glibc.open(url.path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw .unreadable(.fileSystem("read", url.path, errno: errno)) }
    defer { close(input) }
    let hasher = FastSHA256()
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count: Int
      do { count = try BlobStore.readFully(input, into: &buffer, path: url.path) } catch { throw .unreadable(error) }
      buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
      if count < buffer.count { return hasher.finish() }
    }
  }

  /// A lowercase UUID as `Vault.uuidText` writes one (36 characters, hex and dashes).
  static func isUUID(_ text: String) -> Bool {
    let utf8 = Array(text.utf8)
    guard utf8.count == 36 else { return false }
    for (offset, byte) in utf8.enumerated() {
      if [8, 13, 18, 23].contains(offset) {
        guard byte == UInt8(ascii: "-") else { return false }
      } else {
        guard
          (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
        else { return false }
      }
    }
    return true
  }
}
