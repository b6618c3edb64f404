import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Card: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractCard),
      discussion: """
        Give it by another route than the export (on paper, by phone, in a separate message): with it, the \
        officer's check says whether the export really comes from your journal.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("sv or en (default: both).", valueName: "language"))
    var lang: String?

    func validate() throws {
      if let lang, DossierModel.Language(rawValue: lang) == nil { throw ValidationError("--lang takes sv or en.") }
    }

    func run() throws {
      let vault = try vaultOptions.unlock()
      for notice in vault.integrity.notices { Diagnostics.note(notice) }
      let status = vault.anchorStatus
      let anchor = status.last.map { ($0.code, $0.stamp.recordedAt, status.unanchoredRecords) }
      let languages = lang.flatMap(DossierModel.Language.init(rawValue:)).map { [$0] } ?? [.sv, .en]
      print(
        languages.map {
          CardText.render(
            fingerprint: vault.fingerprint, anchor: anchor, language: $0, timeZone: PersonalTimeZone.resolve())
        }.joined(separator: "\n"), terminator: "")
    }
  }
}
