import EvidenceVault
import Foundation
import ZIPFoundation

/// The files of an evidence package, in a folder or in the zip archive `export --zip` writes, read the same way
/// so that `verify-export` checks either without unpacking anything to disk.
protocol PackageSource {
  /// Every file as a path relative to the package's top, sorted, without manifest.json and manifest.sig.
  func contentFiles() throws -> [String]
  /// The whole content of a small file (the manifest, records.json), or nil if there is no such file.
  func contents(of path: String) -> Data?
  /// The size and SHA-256 of a file, or nil if there is no such file or it cannot be read.
  func sha256(of path: String) -> (hex: String, size: Int64)?
}

/// A package folder.
struct FolderPackage: PackageSource {
  let folder: URL

  func contentFiles() throws -> [String] { try EvidencePackage.listFiles(in: folder) }

  func contents(of path: String) -> Data? { try? Data(contentsOf: folder.appendingPathComponent(path)) }

  func sha256(of path: String) -> (hex: String, size: Int64)? {
    let url = folder.appendingPathComponent(path)
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    return try? ExportCrypto.sha256(of: url)
  }
}

/// A package zip archive: the package's files under one top folder (or at the top).
struct ZipPackage: PackageSource {
  let archive: Archive
  /// "dossier/" when the files are under a top folder, else "".
  let prefix: String

  /// Opens `url` as a package archive; nil when it is not a zip with a manifest.json at its top or in one folder.
  init?(_ url: URL) {
    guard let archive = try? Archive(url: url, accessMode: .read) else { return nil }
    let manifests = archive.filter { $0.type == .file && ($0.path as NSString).lastPathComponent == "manifest.json" }
      .map(\.path).filter { $0.split(separator: "/").count <= 2 }.sorted { $0.count < $1.count }
    guard let manifest = manifests.first else { return nil }
    self.archive = archive
    self.prefix = String(manifest.dropLast("manifest.json".count))
  }

  func contentFiles() throws -> [String] {
    archive.filter { $0.type == .file }.map(\.path).filter { $0.hasPrefix(prefix) }
      .map { String($0.dropFirst(prefix.count)) }
      .filter { $0 != "manifest.json" && $0 != "manifest.sig" }.sorted()
  }

  func contents(of path: String) -> Data? {
    guard let entry = archive[prefix + path], entry.type == .file else { return nil }
    var data = Data()
    do { _ = try archive.extract(entry, skipCRC32: false) { data.append($0) } } catch { return nil }
    return data
  }

  func sha256(of path: String) -> (hex: String, size: Int64)? {
    guard let entry = archive[prefix + path], entry.type == .file else { return nil }
    let hasher = StreamingSHA256()
    do { _ = try archive.extract(entry, skipCRC32: false) { hasher.update($0) } } catch { return nil }
    return (hasher.finishHex(), hasher.size)
  }
}
