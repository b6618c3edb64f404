import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Re-encrypting blobs under a new blob key in place, for a change of keys (docs/FORMAT.md, "Changing the keys").
///
/// A blob keeps its name (records name it); only its bytes change. Each is re-encrypted into a temporary file
/// beside it, which is fsynced and renamed over the original, and the folder fsynced: a crash leaves each blob
/// whole under the old key or whole under the new one, and a temporary file that the next attempt removes.
extension BlobStore {
  /// Part of the name of a blob's temporary file while it is re-encrypted: `.<name>.rekey.tmp-<pid>`.
  static let rekeyMarker = ".rekey"

  /// The temporary file beside blob `name` while it is re-encrypted.
  func resealTemporaryURL(of name: String) -> URL {
    url(of: name).deletingLastPathComponent()
      .appendingPathComponent(".\(name)\(Self.rekeyMarker)\(DurableFiles.temporaryMarker)\(getpid())")
  }

  /// True when the blob's stream header and first chunk authenticate under `key`: the blob was already
  /// re-encrypted under it (under any other key the first chunk does not authenticate).
  func opens(_ name: String, key: borrowing SecretBytes) -> Bool {
    let input = open(url(of: name).path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { return false }
    defer { close(input) }
    var header = [UInt8](repeating: 0, count: SecretStream.headerByteCount)
    var first = [UInt8](repeating: 0, count: SecretStream.sealedChunkByteCount)
    guard (try? Self.readFully(input, into: &header, path: "")) == header.count,
      let count = try? Self.readFully(input, into: &first, path: ""), count >= SecretStream.overheadByteCount,
      let decryptor = try? SecretStream.Decryptor(header: header, key: key)
    else { return false }
    var plain = [UInt8](repeating: 0, count: SecretStream.chunkByteCount)
    return (try? decryptor.pull(first, range: 0..<count, into: &plain, at: 0)) != nil
  }

  /// Removes temporary files of re-encryptions a crash interrupted (each blob itself is whole, under one key or
  /// the other); returns how many.
  @discardableResult
  func removeResealLeftovers() -> Int {
    var removed = 0
    let manager = FileManager.default
    for shard in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where shard.count == 2 {
      let shardURL = folder.appendingPathComponent(shard)
      for name in (try? manager.contentsOfDirectory(atPath: shardURL.path)) ?? []
      where name.hasPrefix(".") && name.contains(Self.rekeyMarker + DurableFiles.temporaryMarker) {
        if unlink(shardURL.appendingPathComponent(name).path) == 0 { removed += 1 }
      }
      if removed > 0 { try? DurableFiles.syncFolder(shardURL) }
    }
    return removed
  }

  /// Re-encrypts blob `name` from `oldKey` to `newKey`, keeping its plaintext and chunk layout, crash-safely.
  ///
  /// The plaintext passes through memory only, a batch of chunks at a time. The new stream is written to a
  /// temporary file beside the blob, fsynced and renamed over it, and the folder is fsynced.
  /// - Parameter progress: called with the plaintext bytes of each batch as it is written.
  /// - Throws: `.blob` when the blob does not decrypt under `oldKey` to its end (it is left as it was), `.vault` for
  ///   a file that cannot be read or written.
  func reseal(
    _ name: String, from oldKey: borrowing SecretBytes, to newKey: borrowing SecretBytes,
    progress: (Int64) -> Void
  ) throws(BlobDecryptError) {
    let destination = url(of: name)
    let temporary = resealTemporaryURL(of: name)
    unlink(temporary.path)
    let output = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DurableFiles.fileMode)
    guard output >= 0 else { throw .vault(.fileSystem("create", temporary.path, errno: errno)) }
    var renamed = false
    defer {
      close(output)
      if !renamed { unlink(temporary.path) }
    }
    fchmod(output, DurableFiles.fileMode)

    let encryptor = SecretStream.Encryptor(key: newKey)
    do { try DurableFiles.writeAll(output, encryptor.header, path: temporary.path) } catch { throw .vault(error) }
    let chunk = SecretStream.chunkByteCount
    // The batch before the one being decrypted: it is sealed once the next one comes, so that the last batch,
    // whose last chunk carries TAG_FINAL, is known to be the last. Every batch but the last is whole chunks.
    var held = [UInt8](repeating: 0, count: Self.batchChunkCount * chunk)
    var heldCount: Int?
    var sealed = [UInt8](repeating: 0, count: Self.batchChunkCount * SecretStream.sealedChunkByteCount)

    func sealHeld(isLast: Bool) throws(VaultError) {
      guard let count = heldCount else { return }
      let sealedCount = held.withUnsafeBytes { plain in
        sealed.withUnsafeMutableBytes { out in
          var written = 0
          var offset = 0
          repeat {
            let length = min(chunk, count - offset)
            written += encryptor.push(
              UnsafeRawBufferPointer(rebasing: plain[offset..<(offset + length)]),
              isFinal: isLast && offset + length == count,
              into: UnsafeMutableRawBufferPointer(rebasing: out[written...]))
            offset += length
          } while offset < count
          return written
        }
      }
      try DurableFiles.writeAll(output, sealed[..<sealedCount], path: temporary.path)
      progress(Int64(count))
      heldCount = nil
    }

    _ = try decrypt(name, expectedSize: nil, key: oldKey, hashing: false) {
      (batch: UnsafeRawBufferPointer) throws(VaultError) in
      try sealHeld(isLast: false)
      held.withUnsafeMutableBytes { buffer in
        if batch.count > 0 { UnsafeMutableRawBufferPointer(rebasing: buffer[..<batch.count]).copyMemory(from: batch) }
      }
      heldCount = batch.count
    }
    do throws(VaultError) {
      try sealHeld(isLast: true)
      try DurableFiles.sync(output, path: temporary.path)
      guard rename(temporary.path, destination.path) == 0 else {
        throw .fileSystem("replace", destination.path, errno: errno)
      }
      renamed = true
      try DurableFiles.syncFolder(destination.deletingLastPathComponent())
    } catch {
      throw .vault(error)
    }
  }
}
