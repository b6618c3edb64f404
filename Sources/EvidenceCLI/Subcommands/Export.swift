import ArgumentParser
import EvidenceAge
import EvidencePDF
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a police-ready dossier and evidence package into a new folder.",
      discussion: """
        The folder holds dossier.txt and dossier.pdf, exhibits/ (the original files), records.json, manifest.json and
        manifest.sig;
        --zip also writes them as one archive.
        It is NOT encrypted: keep it somewhere safe and give it only to the police or your lawyer.
        Anyone can check it has not been changed with: evidence verify-export FOLDER (no passphrase needed).
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("The new folder to write.", valueName: "folder"))
    var out: String

    @Option(name: .long, help: ArgumentHelp("The dossier's language: sv or en.", valueName: "language"))
    var lang: String = "sv"

    @Option(name: .long, help: ArgumentHelp("Only incidents from this date on.", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Only incidents up to and including this date.", valueName: "date"))
    var to: String?

    @Option(name: .long, help: ArgumentHelp("Only incidents involving this person.", valueName: "name"))
    var person: String?

    @Option(name: .long, help: ArgumentHelp("Only this category.", valueName: "category"))
    var category: String?

    @Option(name: .long, help: ArgumentHelp("Only these entries, e.g. 3,7,12.", valueName: "numbers"))
    var entries: String?

    @Option(
      name: .long, help: ArgumentHelp("Your name, for the cover page (left out if not given).", valueName: "name"))
    var name: String?

    @Option(name: .long, help: ArgumentHelp("The dossier as txt, pdf or both.", valueName: "format"))
    var format: String = "both"

    @Flag(name: .long, help: "Leave out the page of help lines.")
    var noHelpPage = false

    @Flag(
      name: .long,
      help:
        "Include the failed attempts to open the journal (wrong passphrases, see `evidence access`) as a section of the dossier."
    )
    var includeAccess = false

    @Flag(name: .long, help: "Also write the package as one zip archive, FOLDER.zip, beside the folder.")
    var zip = false

    @Option(
      name: .customLong("recipient"),
      help: ArgumentHelp(
        "Seal the export for this age recipient (the age1… line the recipient's age-keygen printed): with --zip as FOLDER.zip.age, else each file as NAME.age; nothing unencrypted is written to disk. Repeat for several.",
        valueName: "age1…"))
    var recipients: [String] = []

    @Option(
      name: .customLong("recipients-file"),
      help: ArgumentHelp(
        "Seal the export for every age1… recipient in this file (one a line, # comments).", valueName: "file"))
    var recipientsFile: String?

    @Flag(
      name: .long,
      help:
        "Seal the export with a new one-off passphrase, printed once. Tell it by phone, never in the same message as the file."
    )
    var protect = false

    @Flag(name: .long, help: "Replace an earlier export in the folder (and FOLDER.zip).")
    var force = false

    @Flag(
      name: .long,
      help: "Export a vault that does not verify: everything that verifies, with the problems listed in the dossier.")
    var salvage = false

    func validate() throws {
      guard DossierModel.Language(rawValue: lang) != nil else { throw ValidationError("--lang takes sv or en.") }
      guard ["txt", "pdf", "both"].contains(format) else { throw ValidationError("--format takes txt, pdf or both.") }
      if let entries,
        entries.split(separator: ",").contains(where: { Int($0.trimmingCharacters(in: .whitespaces)) == nil })
      {
        throw ValidationError("--entries takes entry numbers separated by commas, e.g. 3,7,12.")
      }
      if isSealed {
        guard !protect || (recipients.isEmpty && recipientsFile == nil) else {
          throw ValidationError("--protect seals with a passphrase alone: leave out --recipient and --recipients-file.")
        }
        guard !salvage else {
          throw ValidationError("--salvage cannot be sealed: export it without --recipient or --protect.")
        }
        guard format != "pdf" else {
          throw ValidationError("A sealed export holds dossier.txt (the PDF is not sealed yet): use --format txt.")
        }
      }
    }

    /// Whether the export goes into an age file instead of a folder.
    var isSealed: Bool { !recipients.isEmpty || recipientsFile != nil || protect }

    func run() throws {
      let timeZone = PersonalTimeZone.resolve()
      let dates = try EntryFilter(fromText: from, toText: to, timeZone: timeZone, now: DeviceClock.now)
      var selection = ExportSelection()
      selection.from = dates.from
      selection.to = dates.to
      selection.category = try category.map { try IncidentCategory(userText: $0) }
      selection.entryNumbers = entries.map {
        $0.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      }
      let vault = try vaultOptions.openVault()
      selection.personId = try person.map { try vault.index.person(named: $0).stamp.id }
      if let numbers = selection.entryNumbers { for number in numbers { _ = try vault.index.entry(number: number) } }
      let builder = DossierBuilder(
        vault: vault, selection: selection, language: DossierModel.Language(rawValue: lang) ?? .sv, personName: name,
        producedAt: DeviceClock.now, timeZone: timeZone, includeHelpPage: !noHelpPage, includeAccess: includeAccess)
      try EvidencePackage.checkExportable(vault, salvage: salvage)
      if isSealed {
        do {
          try runSealed(builder, vault: vault)
        } catch let failure {
          guard let ageFailure = failure as? AgeError else { throw failure }
          throw CommandFailure(ageFailure)
        }
        return
      }
      Diagnostics.warning("The export is not encrypted: everything in it can be read by anyone who gets the folder.")
      var options = EvidencePackage.Options()
      options.replacing = force
      options.salvage = salvage
      options.dossiers =
        (format == "pdf" ? [] : [EvidencePackage.textDossier]) + (format == "txt" ? [] : [DossierPDF.packageDossier])
      let folder = URL(fileURLWithPath: out)
      let archive = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".zip")
      if zip && !force && FileManager.default.fileExists(atPath: archive.path) {
        throw CommandFailure(
          message: "\(archive.path) already exists.", hint: "Choose another folder with --out, or add --force.")
      }
      let folderExisted = FileManager.default.fileExists(atPath: folder.path)
      let before = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      let replacing = force
      // What this export made: its package (the folder too, unless it was there before; never a file that was there
      // before, unless it is part of the earlier export --force replaces) and a zip in progress.
      let written: @Sendable () -> [URL] = {
        let made =
          folderExisted
          ? ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { name in
            !before.contains(name) || name == EvidencePackage.unfinishedMarker
              || (replacing && EvidencePackage.packageNames.contains(name))
          }.map { folder.appendingPathComponent($0) } : [folder]
        return made + [EvidencePackage.zipScratch(for: archive)]
      }
      let summary = try Interruption.removing(written) {
        let summary = try EvidencePackage.write(builder, vault: vault, to: folder, options: options)
        if zip { try EvidencePackage.zip(folder, to: archive, date: builder.model.producedAt, replacing: force) }
        return summary
      }
      if summary.removedUnfinishedExport {
        Diagnostics.note("An export that was stopped had left files in \(out); they were removed first.")
      }
      print(
        "Wrote \(out): \(format == "both" ? "dossier.txt and dossier.pdf" : "dossier.\(format)"), \(IntegrityText.counted(summary.exhibits, "exhibit", "exhibits")), \(IntegrityText.counted(summary.includedRecords, "record", "records")) (\(summary.withheldRecords) withheld), signed."
      )
      if zip { print("Wrote \(archive.path): the same package as one file.") }
      for problem in summary.problems { Diagnostics.warning("Salvage: \(problem)") }
      print("Vault fingerprint: \(vault.fingerprint)")
      print("Check it any time with: \(ProgramName.current) verify-export \(out)\(zip ? " (or the .zip)" : "")")
    }

    /// The sealed export: the zip streamed into an age encryptor, into FOLDER.zip.age written crash-safe.
    private func runSealed(_ builder: DossierBuilder, vault: Vault) throws {
      var sealedTo: [AgeRecipient] = []
      for text in recipients { sealedTo.append(try AgeRecipient(parsing: text.trimmingCharacters(in: .whitespaces))) }
      if let recipientsFile {
        let text: String
        do {
          text = try String(contentsOfFile: recipientsFile, encoding: .utf8)
        } catch {
          throw CommandFailure(
            message: "Could not read the recipients file \(recipientsFile).", hint: "Check the file's name.")
        }
        sealedTo += try AgeRecipient.parseFile(text)
      }
      let passphrase = OneOffPassphrase.Box(protect ? OneOffPassphrase.generate() : AgeSecretBytes(zeroedByteCount: 0))
      let seal: (any AgeOutput) throws -> AgeEncryptor = { output in
        self.protect
          ? try AgeEncryptor(passphrase: passphrase.secret, output: output)
          : try AgeEncryptor(recipients: sealedTo, output: output)
      }
      let folder = URL(fileURLWithPath: out)
      let written: URL
      let summary: EvidencePackage.Summary
      if zip {
        written = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + ".zip.age")
        let file = try CrashSafeFile(creating: written)
        let encryptor = try seal(file.output)
        let temporary = file.temporary
        let partial: @Sendable () -> [URL] = { [temporary] }
        summary = try Interruption.removing(partial) {
          do {
            let summary = try EvidencePackage.writeSealed(builder, vault: vault, top: folder.lastPathComponent) {
              try encryptor.write($0)
            }
            try encryptor.finish()
            try file.commit()
            return summary
          } catch {
            file.abandon()
            throw error
          }
        }
      } else {
        written = folder
        let sealedFolder = try SealedFolder(creating: folder, seal: seal)
        let partial: @Sendable () -> [URL] = { [folder] }
        summary = try Interruption.removing(partial) {
          do {
            return try EvidencePackage.writeSealed(builder, vault: vault, into: sealedFolder)
          } catch {
            sealedFolder.abandon()
            throw error
          }
        }
      }
      let counts =
        "dossier.txt, \(IntegrityText.counted(summary.exhibits, "exhibit", "exhibits")), \(IntegrityText.counted(summary.includedRecords, "record", "records")), signed"
      print(
        zip
          ? "Wrote \(written.path): the package (\(counts)) as one age file; nothing unencrypted was written."
          : "Wrote \(written.path): the package (\(counts)), each file sealed as NAME.age; nothing unencrypted was written."
      )
      if protect {
        print("One-off passphrase (shown only now; tell it by phone, never in the same message as the file):")
        OneOffPassphrase.print(passphrase.secret)
      } else {
        print(
          "Sealed for \(sealedTo.count == 1 ? "1 recipient" : "\(sealedTo.count) recipients"); only they can open it.")
      }
      print("Vault fingerprint: \(vault.fingerprint)")
      let how = protect ? "age -d -o dossier.zip" : "age -d -i key.txt -o dossier.zip"
      print(
        "The recipient opens it with: \(zip ? "\(how) \(written.lastPathComponent)" : "age -d on each file") (or evidence decrypt)."
      )
    }
  }

  struct VerifyExport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify-export",
      abstract: "Check an evidence package: signature, every file, every record and the chain. No passphrase needed.")

    @Argument(
      help: ArgumentHelp(
        "The package folder, its zip archive, or a sealed export (.zip.age, with --identity or its passphrase).",
        valueName: "folder"))
    var folder: String

    @Option(
      name: .long,
      help: ArgumentHelp(
        "For a sealed export: a file of identities (AGE-SECRET-KEY-1…), as age-keygen writes it.", valueName: "key-file"
      ))
    var identity: [String] = []

    @Option(
      name: .long,
      help: ArgumentHelp(
        "For a sealed export protected by a passphrase: read it from this open file descriptor instead of the terminal.",
        valueName: "n"))
    var passphraseFd: Int32?

    @Option(
      name: .long,
      help: ArgumentHelp(
        "An anchor code the person sent someone earlier: check the journal matches it, and that the code names the key that signed the package (repeatable).",
        valueName: "code"))
    var anchor: [String] = []

    @Option(
      name: .long,
      help: ArgumentHelp(
        "The journal's fingerprint, as the person or their advocate gave it to you (`evidence card`): the package must be signed by that key.",
        valueName: "fingerprint"))
    var fingerprint: String?

    @Option(name: .long, help: ArgumentHelp("sv or en (default: the dossier's language).", valueName: "language"))
    var lang: String?

    func validate() throws {
      if let lang, DossierModel.Language(rawValue: lang) == nil { throw ValidationError("--lang takes sv or en.") }
    }

    /// Exit codes: 0 intact (confirmed, or not confirmed when nothing was given to confirm with), 1 not intact or
    /// signed by another key, 2 a mistake in what was typed (no such path, not a package, a malformed or mistyped
    /// code or fingerprint).
    func run() throws {
      let expected = try PackageVerifier.checkInput(fingerprint: fingerprint, anchorCodes: anchor)
      let language = lang.flatMap(DossierModel.Language.init(rawValue:))
      let verdict: PackageVerifier.Verdict
      if folder.hasSuffix(".age") {
        verdict = try SealedPackageCheck.verify(
          folder, identityFiles: identity, passphraseFd: passphraseFd, anchorCodes: expected.anchorCodes,
          fingerprint: expected.fingerprint, language: language)
      } else {
        verdict = PackageVerifier.verify(
          URL(fileURLWithPath: folder), anchorCodes: expected.anchorCodes, fingerprint: expected.fingerprint,
          language: language)
      }
      if verdict.level == .notAPackage {
        throw CommandFailure(message: TerminalSafeText.line(verdict.lines.joined(separator: " ")), exitCode: 2)
      }
      for line in verdict.lines { print(TerminalSafeText.line(line)) }  // names from the package, escaped
      if verdict.level == .notIntact { throw CommandFailure(message: "The package does not verify.", exitCode: 1) }
    }
  }

  struct Support: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Where to get help: phone numbers in Sweden, in Swedish and English. No passphrase needed.")

    @Option(name: .long, help: ArgumentHelp("sv or en (default: both).", valueName: "language"))
    var lang: String?

    func run() throws {
      let languages = lang.flatMap(DossierModel.Language.init(rawValue:)).map { [$0] } ?? DossierModel.Language.allCases
      print(languages.map { DossierText.supportText(language: $0) }.joined(separator: "\n"))
    }
  }
}
