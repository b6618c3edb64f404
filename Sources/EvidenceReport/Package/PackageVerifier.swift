import EvidenceVault
import EvidenceZip
import Foundation

/// Checks an evidence package without the vault or its passphrase.
public enum PackageVerifier {
  /// The verdict: how far the package can be trusted, one line for it and one for each check and difference.
  public struct Verdict: Sendable {
    /// What an officer needs to know first.
    public enum Level: Sendable, Equatable {
      /// Nothing changed since it was signed, and the key that signed it is the one the reader was given (a
      /// fingerprint, or an anchor code that names the key).
      case confirmed
      /// Nothing changed since it was signed, but nothing the reader gave confirms whose key signed it.
      case unconfirmed
      /// Something differs, or it was signed by another key than the one given.
      case notIntact
      /// What was given is not an evidence package at all (no such path, or nothing of a package in it).
      case notAPackage
    }
    public var level: Level
    public var lines: [String]
    /// Nothing changed since it was signed (whoever signed it).
    public var isIntact: Bool { level == .confirmed || level == .unconfirmed }
  }

  /// Checks what someone typed to confirm the signer before any package is read: a fingerprint ("5b44 19c0 …") and
  /// anchor codes. Returns them canonical.
  /// - Throws: `invalidInput` with one sentence for a fingerprint that is not 32 hex digits, a malformed code, or a
  ///   code whose check character shows it was mistyped.
  public static func checkInput(
    fingerprint: String?, anchorCodes: [String]
  ) throws(VaultError) -> (fingerprint: String?, anchorCodes: [String]) {
    var canonical: String?
    if let fingerprint {
      guard let parsed = ExportCrypto.canonicalFingerprint(fingerprint) else {
        let shown = fingerprint.count > 60 ? String(fingerprint.prefix(60)) + "…" : fingerprint
        throw VaultError(
          .invalidInput, "\"\(shown)\" is not a vault fingerprint.",
          hint: "A fingerprint is 32 letters and digits (0–9, a–f), in groups of four: 5b44 19c0 7e2a …")
      }
      canonical = parsed
    }
    var codes: [String] = []
    for code in anchorCodes { codes.append(try AnchorCode.parse(code).code) }
    return (canonical, codes)
  }

  /// Checks the package folder or zip archive at `url`: the signatures (of the manifest and of the head), every
  /// file's size and hash, files added or removed, every included record against its leaf, the recomputed chain
  /// against the signed head, the anchor codes recorded in the journal, each code in `anchorCodes` that someone
  /// received, and, with `fingerprint`, that the key which signed it is that one.
  /// The verdict is in `language` (by default the dossier's); the details that follow it are in English.
  public static func verify(
    _ url: URL, anchorCodes: [String] = [], fingerprint: String? = nil, language: DossierModel.Language? = nil
  ) -> Verdict {
    let words = VerdictStrings(language: language ?? .en)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
      return Verdict(level: .notAPackage, lines: [words.noSuchPath(url.path)])
    }
    if isFolder.boolValue {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      guard !Set(names).isDisjoint(with: ["manifest.json", "manifest.sig", "records.json", "dossier.txt"]) else {
        return Verdict(level: .notAPackage, lines: [words.notAPackageFolder(url.path)])
      }
      return verify(FolderPackage(folder: url), anchorCodes: anchorCodes, fingerprint: fingerprint, language: language)
    }
    return verifyArchive(
      url, limits: .standard, anchorCodes: anchorCodes, fingerprint: fingerprint, language: language)
  }

  /// Checks the zip archive at `url`, read within `limits`.
  static func verifyArchive(
    _ url: URL, limits: ZipLimits, anchorCodes: [String] = [], fingerprint: String? = nil,
    language: DossierModel.Language? = nil
  ) -> Verdict {
    let package: ZipPackage
    do throws(ZipPackage.OpenFailure) {
      package = try ZipPackage(url, limits: limits)
    } catch {
      switch error {
      case .unreadable(.notAZip):
        return Verdict(
          level: .notAPackage, lines: [VerdictStrings(language: language ?? .en).notAPackageFile(url.path)])
      case .noManifest:
        return Verdict(
          level: .notIntact,
          lines: ["NOT INTACT: \(url.path) is a zip archive without the manifest.json of an evidence package."])
      case .unreadable(let failure):
        return Verdict(level: .notIntact, lines: ["NOT INTACT: \(url.path) cannot be checked: \(failure)."])
      }
    }
    return verify(package, anchorCodes: anchorCodes, fingerprint: fingerprint, language: language)
  }

  static func verify(
    _ package: some PackageSource, anchorCodes: [String], fingerprint: String? = nil,
    language: DossierModel.Language? = nil
  ) -> Verdict {
    var problems: [String] = []
    var notes: [String] = []
    var words = VerdictStrings(language: language ?? .en)
    let manifestBytes: Data
    switch package.contents(of: "manifest.json", byteLimit: PackageLimits.manifestByteCount) {
    case .success(let bytes): manifestBytes = bytes
    case .failure(.missing):
      return Verdict(level: .notIntact, lines: [words.noManifest])
    case .failure(let failure):
      return Verdict(level: .notIntact, lines: [words.manifestUnreadable("\(failure)")])
    }
    guard let manifest = try? JSONDecoder().decode(EvidencePackage.Manifest.self, from: manifestBytes),
      [EvidencePackage.formatName, EvidencePackage.version1FormatName].contains(manifest.format)
    else {
      return Verdict(level: .notIntact, lines: [words.noManifest])
    }
    if language == nil, let dossierLanguage = manifest.dossier.flatMap({ DossierModel.Language(rawValue: $0.language) })
    {
      words = VerdictStrings(language: dossierLanguage)
    }
    if let impossible = impossibleValue(in: manifest) {
      return Verdict(level: .notIntact, lines: [words.impossibleManifest(impossible)])
    }
    let signerFingerprint = ExportCrypto.fingerprint(publicKey: manifest.signingPublicKey) ?? "?"
    if isValidManifestSignature(package, manifest: manifest, bytes: Array(manifestBytes)) {
      notes.append("Signature of manifest.json: valid, by the key with fingerprint \(signerFingerprint).")
    } else {
      problems.append(words.badManifestSignature)
    }
    if ExportCrypto.isValidHeadSignature(
      manifest.headSignature, vaultId: manifest.vaultId, sequence: manifest.headSequence, chain: manifest.headHash,
      publicKey: manifest.signingPublicKey)
    {
      notes.append("Signature of the journal's head (record \(manifest.headSequence)): valid, by the same key.")
    } else {
      problems.append(words.badHeadSignature)
    }
    var keyConfirmed = false
    var differentKey: (signer: String, expected: String)?
    if let expected = fingerprint.flatMap(ExportCrypto.canonicalFingerprint) {
      if expected == signerFingerprint {
        keyConfirmed = true
      } else {
        differentKey = (signerFingerprint, expected)
      }
    }
    problems += package.entryProblems
    problems += checkFiles(package, manifest: manifest, words: words)
    if manifest.format == EvidencePackage.formatName {
      problems += checkHandChecks(package, manifest: manifest, words: words)
    }
    if let salvaged = manifest.problems, !salvaged.isEmpty {
      notes.append(
        "Salvage export: the vault it was made from did not fully verify. What it left out (also in the dossier's integrity section):"
      )
      notes += salvaged.map { "  - \($0)" }
    }
    if case .success(let recordBytes) = package.contents(of: "records.json", byteLimit: PackageLimits.recordsByteCount),
      let records = try? JSONDecoder().decode(EvidencePackage.RecordsFile.self, from: recordBytes)
    {
      let chain = checkChain(records, manifest: manifest, anchorCodes: anchorCodes, words: words)
      problems += chain.problems
      notes += chain.notes
      keyConfirmed = keyConfirmed || chain.anchorNamesTheKey
      if chain.problems.isEmpty {
        let dossier = checkDossier(package, manifest: manifest, records: records, words: words)
        problems += dossier.problems
        notes += dossier.notes
      }
    } else {
      problems.append(words.noRecords)
    }
    if let differentKey {
      problems.insert(words.differentKey(signer: differentKey.signer, expected: differentKey.expected), at: 0)
    }
    guard problems.isEmpty else {
      return Verdict(
        level: .notIntact, lines: [words.notIntact(problems.count)] + problems + ["", words.details] + notes)
    }
    if keyConfirmed {
      return Verdict(level: .confirmed, lines: [words.confirmed(signerFingerprint), "", words.details] + notes)
    }
    return Verdict(level: .unconfirmed, lines: words.unconfirmed + ["", words.details] + notes)
  }

  /// The signature in `manifest.sig`: 64 raw bytes over `manifest.json` (version 2), or hex over a tag and it
  /// (version 1).
  private static func isValidManifestSignature(
    _ package: some PackageSource, manifest: EvidencePackage.Manifest, bytes: [UInt8]
  ) -> Bool {
    guard
      case .success(let signature) = package.contents(of: "manifest.sig", byteLimit: PackageLimits.signatureByteCount)
    else { return false }
    if manifest.format == EvidencePackage.version1FormatName {
      let hex = String(decoding: signature, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
      return ExportCrypto.isValidVersion1Signature(hex, manifest: bytes, publicKey: manifest.signingPublicKey)
    }
    return ExportCrypto.isValidSignature(Array(signature), manifest: bytes, publicKey: manifest.signingPublicKey)
  }

  /// The files for checking by hand say what the manifest says: `SHA256SUMS` lists its hashes, `signing-key.pem` is
  /// its key. (Their own bytes are checked against the manifest with every other file.)
  private static func checkHandChecks(
    _ package: some PackageSource, manifest: EvidencePackage.Manifest, words: VerdictStrings
  ) -> [String] {
    var problems: [String] = []
    let listed = Set(manifest.files.map(\.path))
    if listed.contains(EvidencePackage.sumsName),
      case .success(let sums) = package.contents(of: EvidencePackage.sumsName, byteLimit: PackageLimits.sumsByteCount),
      sums != Data(EvidencePackage.sumsText(manifest.files).utf8)
    {
      problems.append(words.sumsDisagree)
    }
    if listed.contains(EvidencePackage.keyName),
      case .success(let pem) = package.contents(
        of: EvidencePackage.keyName, byteLimit: PackageLimits.signatureByteCount),
      pem != Data((ExportCrypto.pem(publicKey: manifest.signingPublicKey) ?? "").utf8)
    {
      problems.append(words.pemDisagrees)
    }
    return problems
  }

  /// What in a manifest that decoded cannot be true of one an export wrote, as words for the verdict; nil when
  /// nothing. Checked before any number in it is used, so that no count or size from a stranger traps.
  static func impossibleValue(in manifest: EvidencePackage.Manifest) -> String? {
    guard manifest.files.count <= PackageLimits.fileCount else {
      return "it lists more than \(PackageLimits.fileCount) files"
    }
    var paths = Set<String>()
    for file in manifest.files {
      guard file.size >= 0 else { return "it gives \(file.path) a negative size" }
      guard paths.insert(file.path).inserted else { return "it lists \(file.path) twice" }
    }
    guard let headSequence = Int(exactly: manifest.headSequence), headSequence <= PackageLimits.recordCount else {
      return "its head sequence \(manifest.headSequence) is beyond any journal"
    }
    guard manifest.includedRecords >= 0, manifest.withheldRecords >= 0 else {
      return "it gives a negative count of records"
    }
    if let entries = manifest.dossier?.entries, entries.contains(where: { $0 < 1 || $0 > headSequence }) {
      return "its dossier selection names an entry number the journal cannot have"
    }
    return nil
  }

  /// Every listed file is there with its size and SHA-256, and nothing else is.
  private static func checkFiles(
    _ package: some PackageSource, manifest: EvidencePackage.Manifest, words: VerdictStrings
  ) -> [String] {
    var problems: [String] = []
    var listed = Set<String>()
    for file in manifest.files {
      listed.insert(file.path)
      // Read no more than the manifest says the file holds: a larger file is changed, however it compresses.
      switch package.sha256(of: file.path, byteLimit: file.size) {
      case .failure(.missing): problems.append(words.missing(file.path))
      case .failure(.tooLarge): problems.append(words.changed(file.path))
      case .failure(let failure): problems.append(words.unreadable(file.path, "\(failure)"))
      case .success(let hash) where hash.size != file.size || hash.hex != file.sha256:
        problems.append(words.changed(file.path))
      case .success: break
      }
    }
    for path in (try? package.contentFiles()) ?? [] where !listed.contains(path) {
      problems.append(words.added(path))
    }
    return problems
  }

  /// Each included record matches its leaf; the leaves chain to the signed head; anchors match the chain.
  private static func checkChain(
    _ records: EvidencePackage.RecordsFile, manifest: EvidencePackage.Manifest, anchorCodes: [String],
    words: VerdictStrings
  ) -> (problems: [String], notes: [String], anchorNamesTheKey: Bool) {
    var problems: [String] = []
    var notes: [String] = []
    var anchorNamesTheKey = false
    var recordedAnchors: [(sequence: UInt64, code: String, recordSequence: UInt64, signingKey: String?)] = []
    // The journal's records in order, each once, every number one a journal can have: then no sequence or entry
    // number from a stranger traps where it is converted or counted.
    let limit = UInt64(PackageLimits.recordCount)
    guard records.records.count <= PackageLimits.recordCount,
      zip([0] + records.records.map(\.sequence), records.records.map(\.sequence)).allSatisfy({ $0 < $1 && $1 <= limit }
      ),
      records.records.allSatisfy({ item in item.entryNumber.map { $0 >= 1 && $0 <= PackageLimits.recordCount } ?? true }
      )
    else {
      problems.append(
        "records.json does not list the journal's records in order, each once, with possible entry numbers.")
      return (problems, notes, false)
    }
    for item in records.records {
      guard let json = item.json else { continue }
      if ExportCrypto.leaf(Array(json.utf8)) != item.leaf {
        problems.append(words.recordChanged(item.sequence))
      } else if json.contains(#""type":"anchor""#),  // canonical JSON: only an anchor record holds this unescaped
        let anchor = try? JSONDecoder().decode(AnchorFields.self, from: Data(json.utf8)), anchor.type == "anchor"
      {
        recordedAnchors.append((anchor.sequence, anchor.code, item.sequence, anchor.signingKey))
      }
    }
    let values =
      ExportCrypto.chainValues(
        vaultId: manifest.vaultId, items: records.records.map { ($0.sequence, $0.leaf, $0.chainBefore) }) ?? []
    let lastSequence = records.records.last?.sequence ?? 0
    guard values.count == records.records.count, values.last?.chain ?? "" == manifest.headHash || values.isEmpty,
      lastSequence == manifest.headSequence, records.vaultId == manifest.vaultId
    else {
      problems.append(words.chainBroken)
      return (problems, notes, false)
    }
    var chainAt: [UInt64: String] = [:]
    for value in values { chainAt[value.sequence] = value.chain }
    notes.append(
      "Chain: \(records.records.count) records chain to the signed head \(manifest.headSequence) \(manifest.headHash).")
    var expected: UInt64 = 1
    for item in records.records {
      if item.sequence > expected {
        let lost =
          expected == item.sequence - 1 ? "Record \(expected) is" : "Records \(expected)–\(item.sequence - 1) are"
        notes.append(
          "\(lost) damaged in the vault and not in this export; the chain goes on from the value record \(item.sequence) carries, which the vault's key sealed."
        )
      }
      expected = item.sequence + 1
    }
    let withheld = records.records.filter { $0.json == nil }.count
    if withheld > 0 {
      notes.append(
        "\(IntegrityText.counted(withheld, "record", "records")) of the journal withheld from this export; their leaves are included, so the chain still verifies."
      )
    }
    func matches(_ code: String, at sequence: UInt64, signingKey: String?) -> Bool {
      guard let chain = chainAt[sequence] else { return false }
      return AnchorCode.matches(
        code, vaultIdHex: manifest.vaultId, sequence: sequence, chainHex: chain, signingKeyHex: signingKey)
    }
    for anchor in recordedAnchors {
      if matches(anchor.code, at: anchor.sequence, signingKey: anchor.signingKey) {
        notes.append("Anchor \(anchor.code) recorded in the journal matches the chain up to record \(anchor.sequence).")
      } else {
        problems.append(
          "Record \(anchor.recordSequence) is an anchor whose code \(anchor.code) does not match the chain up to record \(anchor.sequence)."
        )
      }
    }
    if recordedAnchors.last != nil {
      // An anchor covering more records than there are was reported above; it anchors nothing here.
      let later = AnchorCode.unanchoredCount(
        recordCount: records.records.count,
        anchors: recordedAnchors.filter { $0.sequence <= lastSequence }.map { ($0.sequence, $0.recordSequence) })
      if later > 0 {
        notes.append(
          later == 1
            ? "1 record was written after the last anchor: it is not yet anchored."
            : "\(later) records were written after the last anchor: they are not yet anchored.")
      }
    } else {
      notes.append("No anchor code was recorded in the journal: nothing in it is anchored.")
    }
    for text in anchorCodes {
      guard let (sequence, canonical) = try? AnchorCode.parse(text) else {
        problems.append(words.notACode(text))
        continue
      }
      if sequence > lastSequence || sequence == 0 {
        problems.append(words.anchorBeyond(canonical, sequence, lastSequence))
      } else if chainAt[sequence] == nil {
        problems.append(words.anchorDamaged(canonical, sequence))
      } else if AnchorCode.version(of: canonical) == 2
        && matches(canonical, at: sequence, signingKey: manifest.signingPublicKey)
      {
        anchorNamesTheKey = true
        notes.append(
          "Anchor \(canonical) matches: the journal up to record \(sequence) is unchanged since the code was made, and the code names the key that signed this package."
        )
      } else if AnchorCode.version(of: canonical) == 2,
        recordedAnchors.contains(where: {
          $0.signingKey != nil && matches(canonical, at: sequence, signingKey: $0.signingKey)
        })
      {
        notes.append(
          "Anchor \(canonical) matches the journal up to record \(sequence), but it was made with an earlier key of this journal (before a change of keys), so it does not confirm the key that signed this package."
        )
      } else if AnchorCode.version(of: canonical) == 1 && matches(canonical, at: sequence, signingKey: nil) {
        notes.append(
          "Anchor \(canonical) matches: the journal up to record \(sequence) is unchanged since it was made. It is an older kind of code that does not name a key, so it does not confirm whose key signed this package."
        )
      } else {
        problems.append(words.anchorDiffers(canonical, sequence))
      }
    }
    return (problems, notes, anchorNamesTheKey)
  }

  /// Builds the dossier again from the included records and the choices in the manifest, and compares it with
  /// `dossier.txt` byte for byte: the report must say exactly what the records say.
  private static func checkDossier(
    _ package: some PackageSource, manifest: EvidencePackage.Manifest, records: EvidencePackage.RecordsFile,
    words: VerdictStrings
  ) -> (problems: [String], notes: [String]) {
    // A PDF alone is checked byte for byte against the manifest, but a PDF cannot be made again to the byte here.
    if !manifest.files.contains(where: { $0.path == "dossier.txt" }),
      manifest.files.contains(where: { $0.path == "dossier.pdf" })
    {
      return (
        [],
        [
          "dossier.pdf was not compared with the records: this export has no dossier.txt, and a PDF cannot be made again to the byte to compare. Its bytes are as signed; export with --format both (the default) to have the report's text compared too."
        ]
      )
    }
    // A missing dossier.txt is already reported by the file check; nothing to compare then.
    guard manifest.files.contains(where: { $0.path == "dossier.txt" }),
      case .success(let actual) = package.contents(of: "dossier.txt", byteLimit: PackageLimits.dossierByteCount)
    else { return ([], []) }
    guard let parameters = manifest.dossier, let selection = parameters.selection,
      let language = DossierModel.Language(rawValue: parameters.language),
      let timeZone = TimeZone(identifier: parameters.timeZone),
      let producedAt = WhenFormatter.parseRFC3339UTC(manifest.producedAt)
    else {
      return ([], ["dossier.txt was not compared with the records: the manifest does not say how it was made."])
    }
    let included = records.records.compactMap { item in item.json.map { (sequence: item.sequence, json: $0) } }
    var entryNumbers: [UInt64: Int] = [:]
    for item in records.records { if let number = item.entryNumber { entryNumbers[item.sequence] = number } }
    let index = JournalIndex(
      packageRecords: included.map { ($0.sequence, Array($0.json.utf8)) }, entryNumbers: entryNumbers)
    // An anchor record the chain check did not see (its type spelled with escapes) cannot cover more than the
    // journal holds either.
    guard index.anchors.allSatisfy({ $0.anchor.sequence <= UInt64(records.records.count) }) else {
      return (["records.json holds an anchor record that covers more records than the journal has."], [])
    }
    let source = DossierSource(
      index: index, sequences: included.map(\.sequence), totalRecords: records.records.count,
      head: (manifest.headSequence, manifest.headHash, manifest.headSignature),
      fingerprint: ExportCrypto.fingerprint(publicKey: manifest.signingPublicKey) ?? "",
      problems: manifest.problems ?? [], clockNotices: parameters.clockNotices,
      unanchoredRecords: AnchorCode.unanchoredCount(
        recordCount: records.records.count, anchors: index.anchors.map { ($0.anchor.sequence, $0.recordSequence) }),
      missingRecords: DossierSource.missing(records.records.map(\.sequence), upTo: manifest.headSequence))
    let builder = DossierBuilder(
      source: source, selection: selection, language: language, personName: parameters.personName,
      producedAt: producedAt, timeZone: timeZone, includeHelpPage: parameters.includeHelpPage,
      includeAccess: parameters.includeAccess ?? false)
    let expected = DossierText.render(builder.model)
    if Data(expected.utf8) == actual {
      return (
        [], ["dossier.txt says exactly what the records say: made again from records.json, it is the same to the byte."]
      )
    }
    let text = String(decoding: actual, as: UTF8.self)
    let pages = zip(
      text.split(separator: "\u{0C}", omittingEmptySubsequences: false),
      expected.split(separator: "\u{0C}", omittingEmptySubsequences: false))
    var place = ""
    search: for (pageNumber, (page, expectedPage)) in pages.enumerated() where page != expectedPage {
      let lines = zip(
        page.split(separator: "\n", omittingEmptySubsequences: false),
        expectedPage.split(separator: "\n", omittingEmptySubsequences: false))
      for (lineNumber, (line, expectedLine)) in lines.enumerated() where line != expectedLine {
        place = words.place(page: pageNumber + 1, line: lineNumber + 1)
        break search
      }
      place = words.place(page: pageNumber + 1, line: nil)
      break
    }
    return ([words.dossierDiffers(place)], [])
  }

  /// The fields of an anchor record that the verifier needs.
  private struct AnchorFields: Decodable {
    var type: String
    var sequence: UInt64
    var code: String
    var signingKey: String?
  }
}

/// The most a package's own files may hold; each is read whole, so each is bounded before it is read.
enum PackageLimits {
  static let manifestByteCount: Int64 = 64 << 20
  static let signatureByteCount: Int64 = 4 << 10
  static let sumsByteCount: Int64 = 256 << 20
  static let recordsByteCount: Int64 = 1 << 30
  static let dossierByteCount: Int64 = 1 << 30
  /// Files a manifest may list.
  static let fileCount = 1_000_000
  /// Records a journal may hold (far more than anyone writes; it keeps every count well inside `Int`).
  static let recordCount = 1 << 40
}
