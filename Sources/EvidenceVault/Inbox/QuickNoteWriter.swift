import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes quick notes (and their files) into a vault's `inbox/` with nothing but the inbox public key from
/// `vault.json`: no passphrase, no key derivation, no lock on the vault, nothing decrypted.
///
/// Each item is sealed in memory and written crash-safely (a temporary file in `inbox/`, fsync, a hard link to its
/// name, fsync of the folder); no plaintext reaches the disk. A note's files are written first and the note last,
/// so a note item in `inbox/` always has all its files beside it.
public enum QuickNoteWriter {
  /// The longest text of a quick note, in UTF-8 bytes.
  public static let maximumTextByteCount = InboxItem.maximumTextByteCount

  /// Seals `text` and `files` into the inbox of the vault at `folder`.
  /// - Parameters:
  ///   - timeZone: the person's time zone, in which the note's time is shown later.
  ///   - now: the device time, the note's "noted at".
  /// - Throws: `notAVault`, `unsupportedVersion`, `headerDamaged`, `unsafeHeaderParameters` (the header is checked
  ///   as opening checks it), `invalidInput` (neither text nor file, too long a text, a missing, unreadable or changing file),
  ///   `diskFull`, `fileSystem`.
  public static func write(
    text: String, files: [URL], toVaultAt folder: URL, timeZone: TimeZone, now: Date
  ) throws(VaultError) {
    // A photo or a screenshot alone is a note too: only a note with neither text nor file is refused.
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || !files.isEmpty else {
      throw VaultError(
        .invalidInput, "The note is empty, so nothing was saved.", hint: "Write what happened, or attach a file.")
    }
    guard text.utf8.count <= InboxItem.maximumTextByteCount else {
      throw VaultError(
        .invalidInput,
        "This note is too long for a quick note (\(text.utf8.count) bytes; at most \(InboxItem.maximumTextByteCount)).",
        hint: "Split it into several notes, or write it with `evidence add`.")
    }
    guard files.count <= InboxItem.maximumFileCount else {
      throw VaultError(.invalidInput, "A quick note can keep at most \(InboxItem.maximumFileCount) files.")
    }
    let publicKey = try inboxPublicKey(of: folder)
    // Every file is opened and checked before anything is written: a typo costs nothing.
    var inputs: [(descriptor: Int32, url: URL, info: stat)] = []
    defer { for input in inputs { close(input.descriptor) } }
    for file in files { inputs.append(try openFile(file)) }

    let inbox = folder.appendingPathComponent(Vault.Layout.inbox)
    try DurableFiles.makeFolder(inbox)
    // Shared: notes written at once do not wait for each other; intake takes it exclusively to tell a note being
    // written from the files of one that a crash cut short.
    let inboxLock = Glibc.open(inbox.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard inboxLock >= 0 else { throw .fileSystem("open the folder", inbox.path, errno: errno) }
    defer { close(inboxLock) }
    _ = flock(inboxLock, LOCK_SH)

    let noteId = Vault.uuidText(randomBytes: Sodium.randomBytes(16)[...])
    let notedAt = WhenFormatter.rfc3339UTC(now)
    var written: [URL] = []
    do throws(VaultError) {
      for (position, input) in inputs.enumerated() {
        let header = InboxItem.File(
          note: noteId, position: position, name: String(input.url.lastPathComponent.prefix(200)),
          notedAt: notedAt, modifiedAt: WhenFormatter.rfc3339UTC(modificationDate(input.info)))
        written.append(
          try writeItem(in: inbox) { (output, path) throws(VaultError) in
            try writeFileItem(header, from: input, publicKey: publicKey, to: output, path: path)
          })
      }
      if !written.isEmpty { try DurableFiles.syncFolder(inbox) }  // the files are in place before their note
      let note = InboxItem.Note(
        id: noteId, notedAt: notedAt, text: text, timeZone: timeZone.identifier, files: inputs.count)
      let sealed = InboxItem.encode(note).withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
      written.append(
        try writeItem(in: inbox) { (output, path) throws(VaultError) in
          try DurableFiles.writeAll(output, InboxItem.magic + [InboxItem.Kind.quickNote.rawValue] + sealed, path: path)
        })
      try DurableFiles.syncFolder(inbox)
    } catch {
      // Nothing half-saved stays behind: the person is told that nothing was saved.
      for url in written { unlink(url.path) }
      try? DurableFiles.syncFolder(inbox)
      throw error
    }
  }

  /// The inbox public key from `vault.json`, checked as opening checks the header (before any work).
  static func inboxPublicKey(of folder: URL) throws(VaultError) -> [UInt8] {
    let headerURL = folder.appendingPathComponent(Vault.Layout.header)
    guard FileManager.default.fileExists(atPath: headerURL.path) else {
      throw VaultError(
        .notAVault, "There is no vault at \(folder.path).",
        hint: "Make one with `evidence init`, or point --vault at the folder that holds your vault.")
    }
    let header = try VaultHeader.decode(
      DurableFiles.read(headerURL, limit: VaultHeader.maximumFileSize), path: headerURL.path)
    guard let key = Hex.decode(header.inboxPublicKey, byteCount: InboxKey.publicKeyByteCount) else {
      preconditionFailure("header was checked")
    }
    return key
  }

  private static func openFile(_ url: URL) throws(VaultError) -> (descriptor: Int32, url: URL, info: stat) {
    // O_NONBLOCK so that a FIFO or a device cannot make us wait before we see it is not a file.
    let descriptor = Glibc.open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard descriptor >= 0 else {
      let code = errno
      throw VaultError(
        .invalidInput,
        code == ENOENT
          ? "There is no file \(url.path)." : "Cannot read \(url.path): \(String(cString: strerror(code))).",
        hint: "Check the file's name and where it is. Nothing was saved.")
    }
    var info = stat()
    guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
      close(descriptor)
      throw VaultError(
        .invalidInput, "\(url.path) is not a file (it is a folder, a pipe or a device). Nothing was saved.")
    }
    _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
    return (descriptor, url, info)
  }

  private static func modificationDate(_ info: stat) -> Date {
    Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
  }

  /// Writes one item through a temporary file in `inbox/`: `write` fills it, then it is fsynced and given its name
  /// with a hard link (which never replaces a file). The caller fsyncs the folder.
  static func writeItem(
    in inbox: URL, write: (Int32, String) throws(VaultError) -> Void
  ) throws(VaultError) -> URL {
    let name = InboxItem.newName()
    let destination = inbox.appendingPathComponent(name)
    let temporary = inbox.appendingPathComponent(".\(name)\(DurableFiles.temporaryMarker)\(getpid())")
    let output = Glibc.open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .fileSystem("create", temporary.path, errno: errno) }
    defer { unlink(temporary.path) }
    do throws(VaultError) {
      fchmod(output, DurableFiles.fileMode)
      try write(output, temporary.path)
      try DurableFiles.sync(output, path: temporary.path)
      close(output)
    } catch {
      close(output)
      throw error
    }
    guard link(temporary.path, destination.path) == 0 else {
      throw .fileSystem("create", destination.path, errno: errno)
    }
    return destination
  }

  /// `"EJIN" ‖ 0x04 ‖ u32be(n) ‖ sealed(stream key ‖ JSON) ‖ the file as a secretstream`, read once.
  private static func writeFileItem(
    _ header: InboxItem.File, from input: (descriptor: Int32, url: URL, info: stat), publicKey: [UInt8],
    to output: Int32, path: String
  ) throws(VaultError) {
    let key = SecretBytes(randomByteCount: SecretStream.keyByteCount)
    let json = InboxItem.encode(header)
    let message = SecretBytes(zeroedByteCount: key.count + json.count)
    message.withUnsafeMutableBytes { out in
      key.withUnsafeBytes { out.copyMemory(from: $0) }
      json.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[key.count...]).copyMemory(from: $0) }
    }
    let sealed = message.withUnsafeBytes { InboxKey.seal($0, to: publicKey) }
    var prefix = InboxItem.magic + [InboxItem.Kind.file.rawValue]
    prefix.appendBigEndian(UInt32(sealed.count))
    try DurableFiles.writeAll(output, prefix + sealed, path: path)

    let encryptor = SecretStream.Encryptor(key: key)
    try DurableFiles.writeAll(output, encryptor.header, path: path)
    let chunk = SecretStream.chunkByteCount
    var current = [UInt8](repeating: 0, count: chunk)
    var next = [UInt8](repeating: 0, count: chunk)
    var sealedChunk = [UInt8](repeating: 0, count: SecretStream.sealedChunkByteCount)
    var currentCount = try BlobStore.readFully(input.descriptor, into: &current, path: input.url.path)
    var done = Int64(currentCount)
    while true {
      // A full chunk is sealed only once the next is read, so that the last chunk is known to be the last.
      let nextCount =
        currentCount == chunk ? try BlobStore.readFully(input.descriptor, into: &next, path: input.url.path) : 0
      let isFinal = nextCount == 0
      let count = current.withUnsafeBytes { plain in
        sealedChunk.withUnsafeMutableBytes { out in
          encryptor.push(UnsafeRawBufferPointer(rebasing: plain[..<currentCount]), isFinal: isFinal, into: out)
        }
      }
      try DurableFiles.writeAll(output, sealedChunk[..<count], path: path)
      if isFinal { break }
      swap(&current, &next)
      currentCount = nextCount
      done += Int64(nextCount)
    }
    var after = stat()
    let before = input.info
    guard fstat(input.descriptor, &after) == 0, after.st_size == before.st_size, done == Int64(before.st_size),
      after.st_mtim.tv_sec == before.st_mtim.tv_sec, after.st_mtim.tv_nsec == before.st_mtim.tv_nsec
    else {
      throw VaultError(
        .invalidInput, "\(input.url.path) changed while it was being read, so nothing was saved.",
        hint: "Wait until whatever is writing it has finished (a download, a recording), then try again.")
    }
  }
}
