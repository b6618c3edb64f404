import EvidenceCatalogue
import EvidenceVault

/// The words people see on the terminal for the vault's coded values, in the interface's language (the dossier
/// has its own, in DossierStrings).
public enum Labels {
  public static func category(_ category: IncidentCategory) -> String {
    switch category {
    case .threat: String(.categoryThreat)
    case .physicalViolence: String(.categoryPhysicalViolence)
    case .sexualViolence: String(.categorySexualViolence)
    case .forcedLabour: String(.categoryForcedLabour)
    case .coercionIntoCrimeOrBegging: String(.categoryCoercionIntoCrimeOrBegging)
    case .debtOrMoneyTaken: String(.categoryDebtOrMoneyTaken)
    case .documentsTaken: String(.categoryDocumentsTaken)
    case .restrictionOfMovement: String(.categoryRestrictionOfMovement)
    case .stalkingOrSurveillance: String(.categoryStalkingOrSurveillance)
    case .onlineAbuse: String(.categoryOnlineAbuse)
    case .damageToProperty: String(.categoryDamageToProperty)
    case .other: String(.categoryOther)
    }
  }

  public static func role(_ role: PersonRole) -> String {
    switch role {
    case .perpetrator: String(.roleDidIt)
    case .witness: String(.roleWitness)
    case .other: String(.roleInvolved)
    }
  }

  public static func amountKind(_ kind: MoneyAmount.Kind) -> String {
    switch kind {
    case .demanded: String(.amountDemanded)
    case .paid: String(.amountPaid)
    case .withheld: String(.amountWithheld)
    case .taken: String(.amountTaken)
    }
  }
}
