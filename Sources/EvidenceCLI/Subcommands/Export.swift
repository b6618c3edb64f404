import ArgumentParser
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a police-ready dossier and evidence package into a new folder.",
      discussion: """
        The folder holds dossier.txt, exhibits/ (the original files), records.json, manifest.json and manifest.sig.
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

    @Flag(name: .long, help: "Leave out the page of help lines.")
    var noHelpPage = false

    func validate() throws {
      guard DossierModel.Language(rawValue: lang) != nil else { throw ValidationError("--lang takes sv or en.") }
      if let entries,
        entries.split(separator: ",").contains(where: { Int($0.trimmingCharacters(in: .whitespaces)) == nil })
      {
        throw ValidationError("--entries takes entry numbers separated by commas, e.g. 3,7,12.")
      }
    }

    func run() throws {
      let timeZone = PersonalTimeZone.resolve()
      let dates = try EntryFilter(fromText: from, toText: to, timeZone: timeZone, now: Date())
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
        producedAt: Date(), timeZone: timeZone, includeHelpPage: !noHelpPage)
      Diagnostics.warning("The export is not encrypted: everything in it can be read by anyone who gets the folder.")
      let summary = try EvidencePackage.write(
        builder, dossierText: DossierText.render(builder.model), vault: vault, to: URL(fileURLWithPath: out))
      print(
        "Wrote \(out): dossier.txt, \(summary.exhibits) exhibits, \(summary.includedRecords) records (\(summary.withheldRecords) withheld), signed."
      )
      print("Vault fingerprint: \(vault.fingerprint)")
      print("Check it any time with: evidence verify-export \(out)")
    }
  }

  struct VerifyExport: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify-export",
      abstract: "Check an evidence package: signature, every file, every record and the chain. No passphrase needed.")

    @Argument(help: ArgumentHelp("The package folder.", valueName: "folder"))
    var folder: String

    func run() throws {
      let verdict = PackageVerifier.verify(URL(fileURLWithPath: folder))
      for line in verdict.lines { print(line) }
      if !verdict.isIntact { throw CommandFailure(message: "The package does not verify.", exitCode: 1) }
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
