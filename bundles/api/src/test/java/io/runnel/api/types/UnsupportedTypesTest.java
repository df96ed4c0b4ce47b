package io.runnel.api.types;

import static io.runnel.api.types.SerializerTesting.write;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedList;
import org.junit.jupiter.api.Test;

class UnsupportedTypesTest {

    /** Neither a record nor a POJO: no no-arg constructor, private state without accessors. */
    static final class Opaque {
        private final String secret;
        private int counter;

        Opaque(String secret) {
            this.secret = secret;
        }

        int next() {
            return ++counter + secret.length();
        }
    }

    record HoldsOpaque(String name, Opaque opaque) {
    }

    record Node(int value, Node next) {
    }

    record Wrapper(Chain chain) {
    }

    record Chain(Wrapper back) {
    }

    record WithLinkedList(LinkedList<String> names) {
    }

    public static class Animal {
        public String name;
    }

    public static class Dog extends Animal {
        public boolean goodBoy;
    }

    public class Inner {
        public String value;
    }

    @Test
    void aClassThatIsNeitherRecordNorPojoIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> Types.of(Opaque.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Opaque.class.getName())
                .hasMessageContaining("no public no-argument constructor")
                .hasMessageContaining("field 'secret' is not public and has no public getSecret()/setSecret(String) pair")
                .hasMessageContaining("field 'counter'")
                .hasMessageContaining("Make it a Java record")
                .hasMessageContaining("pass a TypeSerializer for it explicitly")
                .hasMessageContaining("does not fall back to Java serialization");
    }

    @Test
    void theFieldThatHoldsAnUnsupportedTypeIsNamed() {
        assertThatThrownBy(() -> Types.of(HoldsOpaque.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Opaque.class.getName())
                .hasMessageContaining("field 'opaque' of " + HoldsOpaque.class.getName());
    }

    @Test
    void recursiveTypesAreRefusedWithTheCycle() {
        assertThatThrownBy(() -> Types.of(Node.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains itself")
                .hasMessageContaining(Node.class.getName() + " -> " + Node.class.getName());
        assertThatThrownBy(() -> Types.of(Wrapper.class))
                .hasMessageContaining(Wrapper.class.getName() + " -> " + Chain.class.getName() + " -> "
                        + Wrapper.class.getName());
    }

    @Test
    void collectionsOtherThanListAndMapAreRefused() {
        assertThatThrownBy(() -> Types.of(WithLinkedList.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LinkedList")
                .hasMessageContaining("java.util.List");
    }

    @Test
    void innerClassesAreRefused() {
        assertThatThrownBy(() -> Types.of(Inner.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inner class");
    }

    @Test
    void aSubclassInstanceIsNotWrittenAsItsPojoSuperclass() {
        Dog dog = new Dog();
        dog.name = "Rex";
        assertThatThrownBy(() -> write(Types.of(Animal.class), dog))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Dog.class.getName())
                .hasMessageContaining("would lose");
    }
}
