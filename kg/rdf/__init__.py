"""Model → RDF: typed vocabularies (`namespaces`), the one place IRIs are
minted (`iri`), the quads of a notice (`build`), the ontology files
(`ontology`) and SHACL validation (`validate`). With kg/store.py, the only
package that imports rdflib and pyoxigraph (docs/architecture.md, import boundaries)."""
