/** Small containers shared by the other packages, where the JDK has none of the kind. */
package faultsim.util;
