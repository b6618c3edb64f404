import EvidenceVault
import Foundation
import ZIPFoundation

/// The evidence package: `dossier.txt`, `exhibits/`, `records.json`, the files for checking it by hand
/// (`SHA256SUMS`, `signing-key.pem`, `HOW-TO-VERIFY.txt`, `HUR-DU-KONTROLLERAR.txt`), `manifest.json` and
/// `manifest.sig`.
///
/// `records.json` holds the included records' JSON exactly as stored (so their leaves can be recomputed) and the
/// leaves of the withheld ones (so the whole chain can be recomputed without revealing them). `manifest.json`
/// lists every other file with its size and SHA-256, the chain head and the signing key; `manifest.sig` is the
/// vault's Ed25519 signature over the exact bytes of `manifest.json`, 64 raw bytes, which `openssl pkeyutl
/// -verify -rawin` checks (Schemas/export-manifest.schema.json, export-records.schema.json). `SHA256SUMS` lists
/// the same hashes as the manifest, in the form `sha256sum -c` reads, and is itself listed in the manifest.
public enum EvidencePackage {
  public static let formatName = "evidence-journal export v2"
  /// Packages made before: `manifest.sig` is hex, over a tag and the manifest; no files for checking by hand.
  public static let version1FormatName = "evidence-journal export v1"
  static let sumsName = "SHA256SUMS"
  static let keyName = "signing-key.pem"

  struct RecordsFile: Codable {
    struct Item: Codable {
      var sequence: UInt64
      var leaf: String
      /// The record's stored JSON, exactly; absent for a withheld record.
      var json: String?
      /// For an included entry's first version, its number in the whole journal (#12).
      var entryNumber: Int?
      /// Only on the first record after records lost to damage (salvage): the chain value before it, as its own
      /// frame carries it, so that the chain can be recomputed past the gap.
      var chainBefore: String?
    }
    var format: String
    var vaultId: String
    var headSequence: UInt64
    var headHash: String
    var records: [Item]
  }

  struct Manifest: Codable {
    struct File: Codable {
      var path: String
      var size: Int64
      var sha256: String
    }
    var format: String
    var vaultId: String
    var signingPublicKey: String
    var headSequence: UInt64
    var headHash: String
    var headSignature: String
    var includedRecords: Int
    var withheldRecords: Int
    var producedAt: String
    var files: [File]
    /// Present only for an export made in salvage mode: what did not verify.
    var problems: [String]?
    /// How the dossier was made, so that the verifier can make it again from records.json.
    var dossier: DossierParameters?
  }

  /// What was written.
  public struct Summary: Sendable {
    public var files: Int
    public var exhibits: Int
    public var includedRecords: Int
    public var withheldRecords: Int
    /// What salvage mode left out or found damaged; empty for an intact vault.
    public var problems: [String]
    /// True when the folder held what an export that was killed had left there, which was removed first.
    public var removedUnfinishedExport = false
  }

  /// Written into the package folder before anything else and removed once the package is whole: a folder that
  /// holds it is what an export that was killed left behind, which the next export there removes.
  public static let unfinishedMarker = ".export-unfinished"

  /// The names a package writes at its top; `replacing` an earlier export removes these and nothing else.
  public static let packageNames: Set<String> = [
    "dossier.txt", "dossier.pdf", "exhibits", "records.json", "manifest.json", "manifest.sig", sumsName, keyName,
    HowToVerify.englishName, HowToVerify.swedishName,
  ]

  /// Writes one rendering of the dossier (dossier.txt, dossier.pdf) into the package folder, from the final
  /// model; called after the exhibits are in place, so a renderer can show pictures of them.
  public typealias DossierWriter = @Sendable (_ model: DossierModel, _ package: URL) throws -> Void

  /// The plain-text dossier, `dossier.txt`.
  public static let textDossier: DossierWriter = { model, package in
    try writePrivate(Array(DossierText.render(model).utf8), to: package.appendingPathComponent("dossier.txt"))
  }

  /// How to write a package.
  public struct Options {
    /// Empty a folder holding an earlier export (and nothing else) first (`--force`).
    public var replacing = false
    /// Leave out exhibits whose stored copy is damaged, listing them in the dossier, instead of failing
    /// (`--salvage`).
    public var salvage = false
    /// The renderings of the dossier to write.
    public var dossiers: [DossierWriter] = [EvidencePackage.textDossier]

    public init() {}
  }

  /// Throws `vaultDamaged` for a vault that does not verify, unless `salvage`.
  public static func checkExportable(_ vault: Vault, salvage: Bool) throws {
    guard vault.integrity.isIntact || salvage else {
      throw VaultError(
        .vaultDamaged, "The vault does not verify, so nothing was exported.",
        hint:
          "Add --salvage to export everything that still verifies, with the problems listed in the dossier. Keep a copy of the whole vault folder."
      )
    }
  }

  /// Writes the package into `folder`, which must not exist or be empty; files 0600, folders 0700.
  ///
  /// A vault that does not verify is exported only with `options.salvage`: then everything that verifies goes
  /// out, and the problems are listed in the dossier's integrity section and in the manifest.
  /// - Throws: `alreadyExists`, `vaultDamaged` (a damaged vault or exhibit, without salvage), file-system errors.
  public static func write(
    _ builder: DossierBuilder, vault: Vault, to folder: URL, options: Options = Options()
  ) throws -> Summary {
    try checkExportable(vault, salvage: options.salvage)
    let replacing = options.replacing
    let manager = FileManager.default
    var removedUnfinished = false
    if let contents = try? manager.contentsOfDirectory(atPath: folder.path), contents.contains(unfinishedMarker),
      contents.allSatisfy({ packageNames.contains($0) || $0 == unfinishedMarker })
    {
      // Left by an export that was killed: nothing in it is a package anyone was given.
      for name in contents where name != unfinishedMarker {
        try manager.removeItem(at: folder.appendingPathComponent(name))
      }
      try manager.removeItem(at: folder.appendingPathComponent(unfinishedMarker))
      removedUnfinished = true
    }
    if let contents = try? manager.contentsOfDirectory(atPath: folder.path), !contents.isEmpty {
      guard replacing else {
        throw VaultError(
          .alreadyExists, "\(folder.path) already holds files; an export needs a new or empty folder.",
          hint: "Choose another folder with --out, or add --force to replace an earlier export there.")
      }
      let others = contents.filter { !packageNames.contains($0) }.sorted()
      guard others.isEmpty else {
        throw VaultError(
          .alreadyExists,
          "\(folder.path) holds files that are not part of an earlier export (\(others.prefix(3).joined(separator: ", "))\(others.count > 3 ? ", …" : "")); --force replaces only an earlier export.",
          hint: "Choose a new folder with --out.")
      }
      for name in contents { try manager.removeItem(at: folder.appendingPathComponent(name)) }
    }
    let existed = manager.fileExists(atPath: folder.path)
    try makePrivateFolder(folder)
    do {
      let marker = folder.appendingPathComponent(unfinishedMarker)
      try writePrivate([], to: marker)
      var summary = try writeContents(builder, vault: vault, to: folder, options: options)
      try manager.removeItem(at: marker)
      summary.removedUnfinishedExport = removedUnfinished
      return summary
    } catch {
      // Never leave a half-written plaintext export behind: remove what this call wrote.
      if existed {
        for name in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] {
          try? manager.removeItem(at: folder.appendingPathComponent(name))
        }
      } else {
        try? manager.removeItem(at: folder)
      }
      throw error
    }
  }

  /// Writes a zip archive of the package `folder` to `archive`: its files under one top folder of the same name,
  /// deflated, each dated `date` so the same package gives the same archive. The archive is made in a private
  /// folder beside its destination and moved into place, 0600.
  /// - Throws: `alreadyExists` when `archive` exists and not `replacing`; file-system errors.
  public static func zip(_ folder: URL, to archive: URL, date: Date, replacing: Bool = false) throws {
    let manager = FileManager.default
    if manager.fileExists(atPath: archive.path) {
      guard replacing else {
        throw VaultError(
          .alreadyExists, "\(archive.path) already exists.",
          hint: "Choose another folder with --out, or add --force to replace it.")
      }
    }
    let scratch = zipScratch(for: archive)
    try makePrivateFolder(scratch)
    defer { try? manager.removeItem(at: scratch) }
    let partial = scratch.appendingPathComponent("package.zip")
    let top = folder.lastPathComponent
    do {
      let zip = try Archive(url: partial, accessMode: .create)
      for path in try listFiles(in: folder, includingManifest: true) {
        let handle = try FileHandle(forReadingFrom: folder.appendingPathComponent(path))
        defer { try? handle.close() }
        let size = Int64(try handle.seekToEnd())
        try zip.addEntry(
          with: "\(top)/\(path)", type: .file, uncompressedSize: size, modificationDate: date, permissions: 0o600,
          compressionMethod: .deflate
        ) { position, count in
          try handle.seek(toOffset: UInt64(position))
          return try handle.read(upToCount: count) ?? Data()
        }
      }
    } catch {
      throw VaultError(.fileSystem, "Could not write the zip archive \(archive.path) (\(error)).")
    }
    _ = chmod(partial.path, 0o600)
    if let handle = try? FileHandle(forUpdating: partial) {
      try? handle.synchronize()
      try? handle.close()
    }
    guard rename(partial.path, archive.path) == 0 else {
      throw VaultError(.fileSystem, "Could not move the zip archive into place at \(archive.path).")
    }
  }

  private static func writeContents(
    _ builder: DossierBuilder, vault: Vault, to folder: URL, options: Options
  ) throws -> Summary {
    try makePrivateFolder(folder.appendingPathComponent("exhibits"))
    var model = builder.model
    var exported = 0
    for (offset, file) in builder.exhibitFiles.enumerated() {
      do throws(VaultError) {
        try vault.extract(file.label, to: folder.appendingPathComponent(file.fileName))
        exported += 1
      } catch let error where error.code == .vaultDamaged && options.salvage {
        model.integrity.problems.append(
          "\(file.fileName) (exhibit \(offset + 1)) is not in this export: \(error.message)")
      } catch let error where error.code == .vaultDamaged {
        throw VaultError(
          .vaultDamaged, error.message,
          hint:
            "Add --salvage to export everything else, with this exhibit listed as damaged. Keep a copy of the whole vault folder."
        )
      } catch {
        throw error
      }
    }
    for writeDossier in options.dossiers { try writeDossier(model, folder) }
    try writePrivate(try encode(recordsFile(builder, vault: vault)), to: folder.appendingPathComponent("records.json"))
    for (path, bytes) in handCheckFiles(vault: vault) {
      try writePrivate(bytes, to: folder.appendingPathComponent(path))
    }

    var files: [Manifest.File] = []
    for path in try listFiles(in: folder) {
      let hash = try ExportCrypto.sha256(of: folder.appendingPathComponent(path))
      files.append(Manifest.File(path: path, size: hash.size, sha256: hash.hex))
    }
    let sums = sumsFile(files)
    try writePrivate(sums.bytes, to: folder.appendingPathComponent(sumsName))
    files = (files + [sums.file]).sorted { $0.path < $1.path }
    let manifest = makeManifest(builder, vault: vault, model: model, files: files)
    let manifestBytes = try encode(manifest)
    try writePrivate(manifestBytes, to: folder.appendingPathComponent("manifest.json"))
    try writePrivate(signature(of: manifestBytes, vault: vault), to: folder.appendingPathComponent("manifest.sig"))
    return Summary(
      files: files.count + 2, exhibits: exported, includedRecords: manifest.includedRecords,
      withheldRecords: manifest.withheldRecords, problems: model.integrity.problems)
  }

  /// records.json: every record's leaf, the included ones' JSON.
  static func recordsFile(_ builder: DossierBuilder, vault: Vault) -> RecordsFile {
    let head = vault.signedHead()
    var entryNumbers: [UInt64: Int] = [:]
    for history in vault.index.entries { entryNumbers[history.sequences[0]] = history.number }
    return RecordsFile(
      format: formatName, vaultId: vault.vaultIdHex, headSequence: head.sequence, headHash: head.hash,
      records: vault.records.enumerated().map { offset, stored in
        let included = builder.includedSequences.contains(stored.sequence)
        let afterGap = stored.sequence != (offset == 0 ? 1 : vault.records[offset - 1].sequence + 1)
        return RecordsFile.Item(
          sequence: stored.sequence, leaf: ExportCrypto.leaf(stored.bytes),
          json: included ? String(decoding: stored.bytes, as: UTF8.self) : nil,
          entryNumber: included ? entryNumbers[stored.sequence] : nil,
          chainBefore: afterGap ? ExportCrypto.hex(stored.chainBefore) : nil)
      })
  }

  /// manifest.json for a package holding `files` (sorted by path).
  static func makeManifest(
    _ builder: DossierBuilder, vault: Vault, model: DossierModel, files: [Manifest.File]
  ) -> Manifest {
    let head = vault.signedHead()
    return Manifest(
      format: formatName, vaultId: vault.vaultIdHex, signingPublicKey: vault.signingPublicKeyHex,
      headSequence: head.sequence, headHash: head.hash, headSignature: head.signature,
      includedRecords: builder.includedSequences.count,
      withheldRecords: vault.records.count - builder.includedSequences.count,
      producedAt: WhenFormatter.rfc3339UTC(model.producedAt), files: files,
      problems: model.integrity.problems.isEmpty ? nil : model.integrity.problems, dossier: builder.parameters)
  }

  /// manifest.sig: the vault's signature over exactly the manifest's bytes, 64 raw bytes.
  static func signature(of manifestBytes: [UInt8], vault: Vault) -> [UInt8] {
    vault.signExport(manifestBytes)
  }

  /// The files for checking a package by hand, other than SHA256SUMS: the signing key as PEM, and the two texts
  /// that say how (the same in every export).
  static func handCheckFiles(vault: Vault) -> [(path: String, bytes: [UInt8])] {
    guard let pem = ExportCrypto.pem(publicKey: vault.signingPublicKeyHex) else { preconditionFailure("a 32-byte key") }
    return [
      (keyName, Array(pem.utf8)), (HowToVerify.englishName, Array(HowToVerify.text(swedish: false).utf8)),
      (HowToVerify.swedishName, Array(HowToVerify.text(swedish: true).utf8)),
    ]
  }

  /// SHA256SUMS for `files` (every file but the manifest, its signature and SHA256SUMS itself), and its own entry
  /// for the manifest.
  static func sumsFile(_ files: [Manifest.File]) -> (bytes: [UInt8], file: Manifest.File) {
    let bytes = Array(sumsText(files.sorted { $0.path < $1.path }).utf8)
    return (bytes, Manifest.File(path: sumsName, size: Int64(bytes.count), sha256: ExportCrypto.sha256(bytes)))
  }

  /// `SHA256SUMS`: one line per file, as `sha256sum` writes it (hash, two spaces, path).
  static func sumsText(_ files: [Manifest.File]) -> String {
    files.filter { $0.path != sumsName }.map { "\($0.sha256)  \($0.path)\n" }.joined()
  }

  /// Every file below `folder` as a relative path, sorted, without the manifest and its signature unless asked.
  static func listFiles(in folder: URL, includingManifest: Bool = false) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var paths: [String] = []
    while let path = enumerator.nextObject() as? String {
      var isFolder: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
      if !isFolder.boolValue && path != unfinishedMarker
        && (includingManifest || (path != "manifest.json" && path != "manifest.sig"))
      {
        paths.append(path)
      }
    }
    return paths.sorted()
  }

  static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(value)) + [0x0a]
  }

  /// The private folder `zip` writes the archive in before moving it into place.
  public static func zipScratch(for archive: URL) -> URL {
    archive.deletingLastPathComponent().appendingPathComponent(
      ".\(archive.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
  }

  private static func makePrivateFolder(_ url: URL) throws {
    try FileManager.default.createDirectory(
      at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    _ = chmod(url.path, 0o700)
  }

  static func writePrivate(_ bytes: [UInt8], to url: URL) throws {
    guard
      FileManager.default.createFile(atPath: url.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
    else {
      throw VaultError(.fileSystem, "Could not write \(url.path).")
    }
  }
}
